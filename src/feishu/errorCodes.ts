/**
 * The one table of Feishu Drive error codes. The client classifies failures
 * with it, the sandbox server answers with it (HTTP status + msg), and the
 * scheduler decides retry / re-plan / stop from its `kind` and `action`.
 * Source: ../shared/feishu-drive-api.md, "Error codes of the upload endpoints".
 */

/**
 * How a failure affects the work:
 * - retryable: transient, try the same call again after a backoff
 * - reauth: the access token is bad; fetch a new one once, then fail
 * - rateLimited: 99991400; slow this endpoint down
 * - quotaExhausted: the storage or call quota is used up; pause until it resets / the user acts
 * - fatalForFile: this file cannot go as it is; skip it with the reason
 * - fatalForMapping: the whole mapping cannot continue until the user acts
 */
export type ErrorKind =
  | 'retryable'
  | 'reauth'
  | 'rateLimited'
  | 'quotaExhausted'
  | 'fatalForFile'
  | 'fatalForMapping';

/** What the uploader should do next, beyond the kind. */
export type ErrorAction =
  | 'retry'
  | 'reauth'
  | 'backoff'
  | 'restartUpload'
  | 'resendMissingBlocks'
  | 'resendBlock'
  | 'uploadAsNew'
  | 'recreateParent'
  | 'replan'
  | 'skipFile'
  | 'stopMapping'
  | 'stopAll';

export interface ErrorCodeInfo {
  code: number;
  httpStatus: number;
  msg: string;
  kind: ErrorKind;
  action: ErrorAction;
  /** One line a user can act on. */
  remedy: string;
}

function row(
  code: number,
  httpStatus: number,
  msg: string,
  kind: ErrorKind,
  action: ErrorAction,
  remedy: string,
): ErrorCodeInfo {
  return { code, httpStatus, msg, kind, action, remedy };
}

export const FEISHU_ERROR_CODES: ReadonlyMap<number, ErrorCodeInfo> = new Map(
  [
    row(1061001, 200, 'internal error', 'retryable', 'retry', 'Feishu had an internal error; FeiSync retries automatically.'),
    row(1061002, 400, 'params error', 'fatalForFile', 'skipFile', 'The request was rejected as malformed (for example a size of 0); the file is skipped.'),
    row(1061003, 404, 'not found', 'fatalForFile', 'uploadAsNew', 'The remote file or folder no longer exists; FeiSync re-resolves the target.'),
    row(1061004, 403, 'forbidden', 'fatalForMapping', 'stopMapping', 'The app has no edit right on the Feishu folder: share the folder with the app (or user) with edit permission.'),
    row(1061005, 401, 'auth failed', 'reauth', 'reauth', 'Authentication failed: check the app id and secret with `feisync login`.'),
    row(1061006, 200, 'internal time out', 'retryable', 'retry', 'Feishu timed out internally; FeiSync retries automatically.'),
    row(1061007, 404, 'file has been delete', 'fatalForFile', 'uploadAsNew', 'The remote file was deleted; FeiSync uploads it as a new file.'),
    row(1061008, 400, 'invalid file name', 'fatalForFile', 'skipFile', 'The file name is empty or longer than 250 characters: rename the file.'),
    row(1061021, 400, 'upload id expire', 'retryable', 'restartUpload', 'The chunked upload expired; FeiSync starts it over.'),
    row(1061022, 500, 'file version conflict', 'retryable', 'uploadAsNew', 'The remote file changed meanwhile; FeiSync uploads again.'),
    row(1061041, 400, 'parent node has been deleted', 'retryable', 'recreateParent', 'The remote folder was deleted; FeiSync recreates it.'),
    row(1061042, 400, 'parent node out of limit', 'fatalForFile', 'skipFile', 'Too many items in the remote folder: split the local folder.'),
    row(1061043, 400, 'file size beyond limit', 'fatalForFile', 'skipFile', 'The file is larger than the account allows.'),
    row(1061044, 400, 'parent node not exist', 'retryable', 'recreateParent', 'The remote folder does not exist; FeiSync recreates it (or re-map the folder).'),
    row(1061045, 200, 'can retry', 'retryable', 'retry', 'Feishu asked to retry; FeiSync retries automatically.'),
    row(1061061, 400, 'user quota exceeded', 'quotaExhausted', 'stopMapping', 'The Feishu user storage is full: free space in Drive.'),
    row(1061073, 403, 'no scope auth', 'fatalForMapping', 'stopMapping', 'The app lacks the Drive scope: grant drive:drive (or drive:file) in the developer console and publish the app.'),
    row(1061101, 400, 'file quota exceeded', 'quotaExhausted', 'stopAll', 'The tenant storage is full: ask the Feishu admin for space.'),
    row(1061109, 400, 'file name cqc not passed', 'fatalForFile', 'skipFile', 'The file name failed the compliance check: rename the file.'),
    row(1061113, 400, 'file cqc not passed', 'fatalForFile', 'skipFile', 'The file content failed the compliance check.'),
    row(1061500, 403, 'mount point not exist', 'fatalForMapping', 'stopMapping', 'The Feishu folder (mount point) no longer exists: re-map the folder.'),
    row(1062007, 400, 'upload user not match', 'retryable', 'restartUpload', 'The upload was started by another identity; FeiSync starts it over.'),
    row(1062008, 400, 'invalid checksum', 'retryable', 'resendBlock', 'A block arrived corrupted; FeiSync re-reads and resends it.'),
    row(1062009, 400, 'the actual size is inconsistent with the parameter declaration size', 'retryable', 'replan', 'The file changed while uploading; FeiSync re-reads it.'),
    row(1062010, 400, 'block missing, please upload all blocks', 'retryable', 'resendMissingBlocks', 'Some blocks did not arrive; FeiSync sends them again.'),
    row(1062011, 400, 'block num out of bound', 'retryable', 'restartUpload', 'The block count did not match; FeiSync starts the upload over.'),
    row(1062014, 403, 'dedupe no support', 'fatalForFile', 'skipFile', 'Feishu refused a deduplicated upload.'),
    row(1062051, 400, 'client connect close', 'retryable', 'retry', 'The connection closed during the upload; FeiSync retries.'),
    row(1062505, 400, 'too many nodes in space', 'fatalForMapping', 'stopMapping', 'The Drive space holds 400,000 items: clean it up.'),
    row(1062506, 400, 'too deep level', 'fatalForFile', 'skipFile', 'Folders nest deeper than 15 levels in Feishu: flatten the local tree.'),
    row(1062507, 400, 'parent node out of sibling num', 'fatalForFile', 'skipFile', 'A Feishu folder holds at most 1,500 items: split the local folder.'),
    row(1064230, 200, 'locked for data migration', 'retryable', 'retry', 'The space is being migrated; FeiSync retries later.'),
    row(99991400, 400, 'request trigger frequency limit', 'rateLimited', 'backoff', 'Too many requests; FeiSync slows down.'),
    row(99991661, 401, 'Missing access token for authorization', 'reauth', 'reauth', 'No access token was sent; FeiSync fetches one.'),
    row(99991663, 401, 'Invalid access token for authorization', 'reauth', 'reauth', 'The access token expired or is invalid; FeiSync fetches a new one.'),
    row(99991664, 401, 'invalid app token', 'reauth', 'reauth', 'The app token is invalid: check the app id and secret with `feisync login`.'),
    row(99991668, 401, 'Invalid user access token', 'reauth', 'reauth', 'The user login expired: run `feisync login` again.'),
    // Tenant-token endpoint answers for bad credentials (code from the auth API).
    row(10014, 400, 'app secret invalid', 'fatalForMapping', 'stopAll', 'The app secret is wrong: check it in the developer console and run `feisync login`.'),
    row(10003, 400, 'invalid param', 'fatalForMapping', 'stopAll', 'The app id is unknown: check it in the developer console and run `feisync login`.'),
    // User-token refresh answers (Feishu "refresh user_access_token" page; unconfirmed for the v1 path): the login is over.
    row(20026, 400, 'refresh token invalid', 'fatalForMapping', 'stopAll', 'The Feishu user login is no longer valid: run `feisync login` again.'),
    row(20037, 400, 'refresh token expired', 'fatalForMapping', 'stopAll', 'The Feishu user login expired: run `feisync login` again.'),
    row(20064, 400, 'refresh token revoked', 'fatalForMapping', 'stopAll', 'The Feishu user login was revoked: run `feisync login` again.'),
    row(20073, 400, 'refresh token already used', 'fatalForMapping', 'stopAll', 'The Feishu user login was refreshed elsewhere: run `feisync login` again.'),
    // Authorization-code exchange (Feishu FAQ "error code 20007": the code is valid 5 minutes and only once; HTTP status unconfirmed).
    row(20007, 400, 'authorization code invalid', 'fatalForMapping', 'stopAll', 'The sign-in code is invalid, expired (5 minutes) or already used: run `feisync login --user` again.'),
  ].map((info) => [info.code, info]),
);

/** Codes FeiSync itself uses for failures that never reached a Feishu envelope. */
export const LOCAL_ERROR_CODES = {
  /** Connection refused / reset / DNS / timeout before a response. */
  network: -1,
  /** A response that was not JSON, or was cut short. */
  badResponse: -2,
  /** An HTTP 5xx without an envelope. */
  serverError: -3,
} as const;

/** The remedies errorInfo gives codes the table does not list (translated by their text in src/i18n). */
export const GENERIC_REMEDIES = {
  transient: 'A network or server error; FeiSync retries automatically.',
  malformed: 'Feishu sent an unreadable answer; FeiSync retries.',
} as const;

/** Classify any code, including ones the table does not know. */
export function errorInfo(code: number, httpStatus: number): ErrorCodeInfo {
  const known = FEISHU_ERROR_CODES.get(code);
  if (known) return known;
  if (code === LOCAL_ERROR_CODES.network || code === LOCAL_ERROR_CODES.serverError || httpStatus >= 500 || httpStatus === 429) {
    return row(code, httpStatus, 'transient failure', 'retryable', 'retry', GENERIC_REMEDIES.transient);
  }
  if (code === LOCAL_ERROR_CODES.badResponse) {
    return row(code, httpStatus, 'malformed response', 'retryable', 'retry', GENERIC_REMEDIES.malformed);
  }
  return row(code, httpStatus, 'unknown error', 'fatalForFile', 'skipFile', `Feishu error ${code}: see the log id in the message when contacting support.`);
}
