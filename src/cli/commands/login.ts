/**
 * `feisync login` / `feisync logout`: verify app credentials against the
 * cloud (a token, then the Drive root), then save the account in settings and
 * the secret in the keychain (or the 0600 fallback file).
 */
import type { Command } from 'commander';
import { appSecretName } from '../../config/secrets.js';
import { resolveBaseUrl } from '../../feishu/baseUrl.js';
import { verifyCredentials } from '../../feishu/verifyCredentials.js';
import { CliError, EXIT } from '../cliError.js';
import type { CliContext } from '../context.js';
import type { Act } from '../program.js';
import { ask, readAllStdin } from '../prompt.js';

interface LoginOptions {
  cloud?: string;
  appSecretStdin?: boolean;
  user?: boolean;
}

export function registerLogin(program: Command, act: Act): void {
  program
    .command('login')
    .description('Sign in with a Feishu/Lark app (app id + secret); verifies them before saving')
    .option('--cloud <cloud>', 'feishu | lark | a base URL (e.g. a sandbox)')
    .option('--app-secret-stdin', 'read the app secret from stdin (keeps it out of the process list)')
    .option('--user', 'sign in as a user with OAuth (not yet available)')
    .addHelpText('after', '\nAlso uses the global --app-id, --app-secret and --base-url (or FEISYNC_APP_ID, FEISYNC_APP_SECRET, FEISYNC_BASE_URL).')
    .action(act(login));

  program
    .command('logout')
    .description('Forget the saved account and remove its secret (keychain and fallback file)')
    .action(act(logout));
}

async function login(ctx: CliContext, options: LoginOptions): Promise<number> {
  const { t, io } = ctx;
  if (options.user) {
    throw new CliError({ code: 'E_NOT_AVAILABLE', message: t('login.userUnavailable'), remedy: t('login.userRemedy') });
  }
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
  if (settings.account) ctx.saveSettings({ ...settings, account: null });
  ctx.logger().info('logged out', { appId, removed });
  if (ctx.out.json) ctx.out.data({ loggedOut: true, appId, removedFrom: removed });
  ctx.out.line(ctx.t('logout.done', { appId }));
  return EXIT.ok;
}
