/**
 * Every Drive Open API endpoint FeiSync calls, by a stable id. Rate limits and
 * daily quotas are per endpoint, so the scheduler and the sandbox count calls
 * by these ids. Paths are identical on open.feishu.cn and open.larksuite.com.
 */
export const ENDPOINTS = {
  tenantToken: { method: 'POST', path: '/open-apis/auth/v3/tenant_access_token/internal' },
  userTokenRefresh: { method: 'POST', path: '/open-apis/authen/v1/refresh_access_token' },
  /** OAuth authorization code → user_access_token + refresh_token (SDK authen.oidcAccessToken.create), authorised by the app_access_token. */
  userTokenFromCode: { method: 'POST', path: '/open-apis/authen/v1/oidc/access_token' },
  /** app_access_token of a self-built app: authorises the v1 user-token refresh. */
  appToken: { method: 'POST', path: '/open-apis/auth/v3/app_access_token/internal' },
  filesUploadAll: { method: 'POST', path: '/open-apis/drive/v1/files/upload_all' },
  filesUploadPrepare: { method: 'POST', path: '/open-apis/drive/v1/files/upload_prepare' },
  filesUploadPart: { method: 'POST', path: '/open-apis/drive/v1/files/upload_part' },
  filesUploadFinish: { method: 'POST', path: '/open-apis/drive/v1/files/upload_finish' },
  mediasUploadAll: { method: 'POST', path: '/open-apis/drive/v1/medias/upload_all' },
  mediasUploadPrepare: { method: 'POST', path: '/open-apis/drive/v1/medias/upload_prepare' },
  mediasUploadPart: { method: 'POST', path: '/open-apis/drive/v1/medias/upload_part' },
  mediasUploadFinish: { method: 'POST', path: '/open-apis/drive/v1/medias/upload_finish' },
  rootFolderMeta: { method: 'GET', path: '/open-apis/drive/explorer/v2/root_folder/meta' },
  listFolder: { method: 'GET', path: '/open-apis/drive/v1/files' },
  createFolder: { method: 'POST', path: '/open-apis/drive/v1/files/create_folder' },
  move: { method: 'POST', path: '/open-apis/drive/v1/files/:file_token/move' },
  copy: { method: 'POST', path: '/open-apis/drive/v1/files/:file_token/copy' },
  delete: { method: 'DELETE', path: '/open-apis/drive/v1/files/:file_token' },
  taskCheck: { method: 'GET', path: '/open-apis/drive/v1/files/task_check' },
  download: { method: 'GET', path: '/open-apis/drive/v1/files/:file_token/download' },
  metasBatchQuery: { method: 'POST', path: '/open-apis/drive/v1/metas/batch_query' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'DELETE'; path: string }>;

export type EndpointId = keyof typeof ENDPOINTS;

export const ENDPOINT_IDS = Object.keys(ENDPOINTS) as EndpointId[];

/** Endpoints that count against the app's API budget (auth calls do not). */
export const METERED_ENDPOINTS: readonly EndpointId[] = ENDPOINT_IDS.filter(
  (id) => id !== 'tenantToken' && id !== 'userTokenRefresh' && id !== 'appToken' && id !== 'userTokenFromCode',
);

/** Fill `:file_token` style parameters. */
export function endpointPath(id: EndpointId, params: Record<string, string> = {}): string {
  return ENDPOINTS[id].path.replace(/:([a-z_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`endpoint ${id}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
