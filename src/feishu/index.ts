/** Public surface of the Drive protocol client. */
export { FeishuClient, type Credentials, type FeishuClientOptions } from './client.js';
export { resolveBaseUrl, CLOUD_BASE_URLS, type CloudName } from './baseUrl.js';
export { AppTokenProvider, UserTokenProvider, withReauth, type TokenProvider, type UserTokens, type UserTokenOptions } from './auth.js';
export { verifyCredentials, type VerifiedAccount } from './verifyCredentials.js';
export { SourceChangedError, isSourceChangedError } from './sourceChangedError.js';
export { adler32 } from './sourceReader.js';
export { proxyFor, DEFAULT_TIMEOUTS, type HttpTimeouts } from './proxy.js';
export { FeishuError, isFeishuError } from './feishuError.js';
export type * from './driveApi.js';
