/**
 * The numbers Feishu / Lark Drive enforces. One source of truth: the client,
 * the planner, the scheduler and the sandbox server all import from here.
 * Source: ../shared/feishu-drive-api.md (Feishu Open Platform reference pages).
 */

/** Files up to this size go in one `upload_all` call. */
export const UPLOAD_ALL_MAX_BYTES = 20 * 1024 * 1024; // 20,971,520

/** The platform always splits chunked uploads into 4 MB blocks; the last holds the rest. */
export const BLOCK_SIZE = 4 * 1024 * 1024; // 4,194,304

/** `file_name` must be 1..250 characters. */
export const MAX_NAME_LENGTH = 250;

/** Items directly inside one folder (1062507 beyond). */
export const MAX_FOLDER_CHILDREN = 1500;

/** Folder nesting depth below the root (1062506 beyond). */
export const MAX_FOLDER_DEPTH = 15;

/** Nodes in a whole space (1062505 beyond). */
export const MAX_TOTAL_NODES = 400_000;

/** Documented per-endpoint rate limit. */
export const DEFAULT_QPS = 5;

/** Documented per-app daily call quota per endpoint. */
export const DEFAULT_DAILY_QUOTA = 10_000;

/** Daily quotas reset at 00:00 in this zone. */
export const QUOTA_TIME_ZONE = 'Asia/Shanghai';

/** `list folder` page_size maximum. */
export const MAX_LIST_PAGE_SIZE = 200;

/** The official SDK refreshes tenant tokens this long before they expire. */
export const TOKEN_REFRESH_MARGIN_MS = 3 * 60 * 1000;

/** Number of blocks of a chunked upload of `size` bytes. */
export function blockCount(size: number): number {
  return Math.max(1, Math.ceil(size / BLOCK_SIZE));
}

/**
 * API calls needed to upload a file of `size` bytes: one `upload_all`, or
 * prepare + one part per block + finish.
 */
export function uploadCallCost(size: number): number {
  return size <= UPLOAD_ALL_MAX_BYTES ? 1 : 2 + blockCount(size);
}
