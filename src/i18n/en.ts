/** English messages: the source of the message keys. Placeholders: {name}. */
export const en = {
  'label.error': 'error',
  'label.warning': 'warning',
  'label.code': 'code {code}',
  'label.logId': 'log id {logId}',
  'label.remedy': 'fix',

  'account.missing': 'no account: FeiSync does not know which Feishu app to use',
  'account.missingRemedy': 'Run `feisync login`, or pass --app-id and --app-secret (or FEISYNC_APP_ID / FEISYNC_APP_SECRET).',
  'account.noSecret': 'no secret is stored for app {appId}',
  'account.baseUrlRemedy': 'Use --base-url feishu, lark, or a URL such as https://open.feishu.cn.',

  'login.userUnavailable': 'signing in as a user (OAuth) is not available yet',
  'login.userRemedy': 'Use an app: `feisync login --app-id <id>` with its secret, and share the Drive folder with the app.',
  'login.promptAppId': 'App ID (cli_…): ',
  'login.promptSecret': 'App secret (hidden): ',
  'login.missingAppId': 'an app id is needed',
  'login.missingAppIdRemedy': 'Pass --app-id <id> (or set FEISYNC_APP_ID); find it in the developer console under Credentials.',
  'login.missingSecret': 'an app secret is needed',
  'login.missingSecretRemedy': 'Pass --app-secret-stdin and pipe the secret in, or --app-secret <secret> (or set FEISYNC_APP_SECRET).',
  'login.verifying': 'Checking the credentials with {baseUrl}…',
  'login.ok': 'Logged in: app {appId} on {baseUrl} (Drive root {root}).',
  'login.storedKeychain': 'The app secret is stored in the OS keychain.',
  'login.storedFile': 'The app secret is stored in {path} (mode 0600).',
  'logout.nothing': 'Not logged in: nothing to remove.',
  'logout.done': 'Logged out: the secret of app {appId} is removed.',

  'map.added': 'Added mapping {id}: {local} → {folder}',
  'map.none': 'No mappings yet. Add one: feisync map add <local-dir> <folder-url>',
  'map.removed': 'Removed mapping {id} ({local}); no file was touched.',
  'map.changed': 'Mapping {id}: delete policy {policy}, extra ignore patterns: {ignore}',
  'map.setNothing': 'nothing to change',
  'map.setRemedy': 'Pass --delete-policy keep|trash and/or --ignore <pattern...>.',
  'map.policyRemedy': 'Use --delete-policy keep (local deletes stay in Drive) or trash (moved to the Drive recycle bin).',

  'config.unknownKey': 'no setting named "{key}"',
  'config.set': 'Set {key} = {value}',

  'pause.daemon': 'Paused the running FeiSync.',
  'pause.saved': 'Paused: no FeiSync is running; the next one starts paused.',
  'resume.daemon': 'Resumed the running FeiSync.',
  'resume.saved': 'Resumed: no FeiSync is running; the next one syncs.',

  'log.empty': 'No log lines yet in {dir}.',
  'diag.written': 'Diagnostics written to {file} (secrets redacted; check it before sharing).',
} as const;

export type MessageKey = keyof typeof en;
