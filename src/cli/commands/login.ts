/**
 * `feisync login` / `feisync logout`: verify app credentials against the
 * cloud (a token, then the Drive root), then save the account in settings and
 * the secret in the keychain (or the 0600 fallback file). `--user` signs in a
 * user with OAuth instead (loginUser.ts).
 */
import type { Command } from 'commander';
import { appSecretName } from '../../config/secrets.js';
import { userTokensName } from '../../config/userTokens.js';
import { resolveBaseUrl } from '../../feishu/baseUrl.js';
import { verifyCredentials } from '../../feishu/verifyCredentials.js';
import type { Translate } from '../../i18n/index.js';
import { CliError, EXIT } from '../cliError.js';
import type { CliContext } from '../context.js';
import type { Act } from '../program.js';
import { ask, readAllStdin } from '../prompt.js';
import { loginUser, type UserLoginOptions } from './loginUser.js';

interface LoginOptions extends UserLoginOptions {
  cloud?: string;
  appSecretStdin?: boolean;
  user?: boolean;
}

/** The app to sign in with, from flags, env, prompts and settings. */
export interface LoginApp {
  cloud: string;
  baseUrl: string;
  appId: string;
  appSecret: string;
}

export function registerLogin(program: Command, act: Act, t: Translate): void {
  program
    .command('login')
    .description(t('cli.help.login.description'))
    .option('--cloud <cloud>', t('cli.help.login.cloud'))
    .option('--app-secret-stdin', t('cli.help.login.appSecretStdin'))
    .option('--user', t('cli.help.login.user'))
    .option('--code <code>', t('cli.help.login.code'))
    .option('--redirect-uri <uri>', t('cli.help.login.redirectUri'))
    .option('--port <port>', t('cli.help.login.port'))
    .option('--timeout <seconds>', t('cli.help.login.timeout'), '300')
    .option('--scope <scopes>', t('cli.help.login.scope'))
    .option('--authorize-url <url>', t('cli.help.login.authorizeUrl'))
    .addHelpText('after', t('cli.help.login.after'))
    .action(act(login));

  program
    .command('logout')
    .description(t('cli.help.logout.description'))
    .action(act(logout));
}

async function login(ctx: CliContext, options: LoginOptions): Promise<number> {
  const app = await resolveLoginApp(ctx, options);
  return options.user ? loginUser(ctx, app, options) : loginTenant(ctx, app);
}

async function resolveLoginApp(ctx: CliContext, options: LoginOptions): Promise<LoginApp> {
  const { t, io } = ctx;
  const interactive = io.stdin.isTTY === true && !options.appSecretStdin;
  const settings = ctx.settings();
  const cloud = options.cloud ?? ctx.opts.baseUrl ?? io.env.FEISYNC_BASE_URL ?? settings.account?.cloud ?? 'feishu';
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl(cloud);
  } catch (e) {
    throw new CliError({ code: 'E_USAGE', message: (e as Error).message, remedy: t('account.baseUrlRemedy') });
  }

  let appId = ctx.opts.appId ?? io.env.FEISYNC_APP_ID ?? (interactive ? undefined : settings.account?.appId);
  if (!appId && interactive) appId = await ask(io.stdin, io.stderr, t('login.promptAppId'));
  if (!appId) throw new CliError({ code: 'E_USAGE', message: t('login.missingAppId'), remedy: t('login.missingAppIdRemedy') });

  let appSecret = options.appSecretStdin ? await readAllStdin(io.stdin) : (ctx.opts.appSecret ?? io.env.FEISYNC_APP_SECRET);
  if (!appSecret && interactive) appSecret = await ask(io.stdin, io.stderr, t('login.promptSecret'), { hidden: true });
  if (!appSecret) throw new CliError({ code: 'E_USAGE', message: t('login.missingSecret'), remedy: t('login.missingSecretRemedy') });
  return { cloud, baseUrl, appId, appSecret };
}

async function loginTenant(ctx: CliContext, { cloud, baseUrl, appId, appSecret }: LoginApp): Promise<number> {
  const { t } = ctx;
  ctx.out.info(t('login.verifying', { baseUrl }));
  const log = ctx.logger().child({ command: 'login' });
  const verified = await verifyCredentials({ baseUrl, credentials: { kind: 'tenant', appId, appSecret } }).catch((e: unknown) => {
    log.warn('login failed', { appId, baseUrl, error: e });
    throw e;
  });

  const stored = await ctx.secrets().set(appSecretName(appId), appSecret);
  ctx.saveSettings({ ...ctx.settings(), account: { cloud, appId, identity: 'tenant' } });
  log.info('logged in', { appId, baseUrl, secretStoredIn: stored.where });
  if (stored.warning) ctx.out.warn(stored.warning);

  if (ctx.out.json) {
    ctx.out.data({ appId, baseUrl, rootFolderToken: verified.root.token, secretStoredIn: stored.where });
  } else {
    ctx.out.line(ctx.out.paint.ok(t('login.ok', { appId, baseUrl, root: verified.root.token })));
    ctx.out.line(t(stored.where === 'keychain' ? 'login.storedKeychain' : 'login.storedFile', { path: ctx.secrets().filePath }));
  }
  return EXIT.ok;
}

async function logout(ctx: CliContext): Promise<number> {
  const settings = ctx.settings();
  const appId = ctx.opts.appId ?? settings.account?.appId;
  if (!appId) {
    if (ctx.out.json) ctx.out.data({ loggedOut: false });
    ctx.out.line(ctx.t('logout.nothing'));
    return EXIT.ok;
  }
  const removed = await ctx.secrets().delete(appSecretName(appId));
  await ctx.secrets().delete(userTokensName(appId));
  if (settings.account) ctx.saveSettings({ ...settings, account: null });
  ctx.logger().info('logged out', { appId, removed });
  if (ctx.out.json) ctx.out.data({ loggedOut: true, appId, removedFrom: removed });
  ctx.out.line(ctx.t('logout.done', { appId }));
  return EXIT.ok;
}
