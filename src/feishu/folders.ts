/**
 * Folder and file management calls a sync client needs
 * (../shared/feishu-drive-api.md, "Folders and files"): root meta, paginated
 * listing, create, move, copy, delete (+ task_check), metas/batch_query.
 */
import type { ApiContext } from './apiContext.js';
import type { DocMeta, DriveEntry, ListOptions, RootFolderMeta } from './driveApi.js';
import { dataOf } from './envelope.js';
import { LOCAL_ERROR_CODES } from './errorCodes.js';
import { FeishuError } from './feishuError.js';
import { withDefined, type FieldReader } from './fields.js';
import { jsonBody } from './http.js';
import { MAX_LIST_PAGE_SIZE } from './limits.js';

function driveEntry(f: FieldReader, fallbackParent = ''): DriveEntry {
  return withDefined(
    {
      token: f.string('token'),
      name: f.optString('name') ?? '',
      type: f.string('type'),
      parentToken: f.optString('parent_token') ?? fallbackParent,
    },
    {
      url: f.optString('url'),
      createdTime: f.optString('created_time'),
      modifiedTime: f.optString('modified_time'),
      ownerId: f.optString('owner_id'),
      size: f.optNumber('size'),
    },
  );
}

export async function rootFolderMeta(ctx: ApiContext): Promise<RootFolderMeta> {
  const data = dataOf('rootFolderMeta', await ctx.call({ endpoint: 'rootFolderMeta' }));
  return { token: data.string('token'), id: data.optString('id') ?? '', userId: data.optString('user_id') ?? '' };
}

export function listPageSize(requested: number | undefined): number {
  if (requested === undefined) return MAX_LIST_PAGE_SIZE;
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_LIST_PAGE_SIZE) {
    throw new RangeError(`list page size must be an integer from 1 to ${MAX_LIST_PAGE_SIZE}, got ${requested}`);
  }
  return requested;
}

/** Every entry of a folder, one page request at a time, following next_page_token. */
export async function* listFolder(ctx: ApiContext, folderToken: string, options: ListOptions = {}): AsyncGenerator<DriveEntry> {
  const pageSize = listPageSize(options.pageSize);
  let pageToken: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const envelope = await ctx.call({
      endpoint: 'listFolder',
      query: {
        folder_token: folderToken,
        page_size: pageSize,
        page_token: pageToken,
        order_by: options.orderBy,
        direction: options.direction,
      },
    });
    const data = dataOf('listFolder', envelope);
    for (const file of data.objects('files')) yield driveEntry(file, folderToken);
    if (!data.optBoolean('has_more')) return;
    // Older answers name the cursor page_token; a cursor that repeats would loop forever.
    const next = data.optString('next_page_token') ?? data.optString('page_token');
    if (next === undefined || seen.has(next)) {
      throw new FeishuError({
        code: LOCAL_ERROR_CODES.badResponse,
        httpStatus: 200,
        msg: next === undefined ? 'has_more without next_page_token' : `next_page_token ${next} repeats`,
        endpoint: 'listFolder',
        logId: envelope.logId,
      });
    }
    seen.add(next);
    pageToken = next;
  }
}

export async function createFolder(ctx: ApiContext, name: string, parentToken: string): Promise<{ token: string; url?: string }> {
  const data = dataOf('createFolder', await ctx.call({ endpoint: 'createFolder', body: jsonBody({ name, folder_token: parentToken }) }));
  return withDefined({ token: data.string('token') }, { url: data.optString('url') });
}

function taskIdResult(data: FieldReader): { taskId?: string } {
  return withDefined({}, { taskId: data.optString('task_id') });
}

export async function move(ctx: ApiContext, token: string, type: string, folderToken: string): Promise<{ taskId?: string }> {
  const envelope = await ctx.call({
    endpoint: 'move',
    pathParams: { file_token: token },
    body: jsonBody({ type, folder_token: folderToken }),
  });
  return taskIdResult(dataOf('move', envelope));
}

export async function copy(ctx: ApiContext, token: string, type: string, name: string, folderToken: string): Promise<DriveEntry> {
  const envelope = await ctx.call({
    endpoint: 'copy',
    pathParams: { file_token: token },
    body: jsonBody({ name, type, folder_token: folderToken }),
  });
  return driveEntry(dataOf('copy', envelope).object('file'), folderToken);
}

export async function deleteEntry(ctx: ApiContext, token: string, type: string): Promise<{ taskId?: string }> {
  const envelope = await ctx.call({ endpoint: 'delete', pathParams: { file_token: token }, query: { type } });
  return taskIdResult(dataOf('delete', envelope));
}

export async function taskCheck(ctx: ApiContext, taskId: string): Promise<{ status: string }> {
  const data = dataOf('taskCheck', await ctx.call({ endpoint: 'taskCheck', query: { task_id: taskId } }));
  return { status: data.string('status') };
}

export async function batchQueryMetas(ctx: ApiContext, docs: { docToken: string; docType: string }[]): Promise<DocMeta[]> {
  if (docs.length === 0) return [];
  const envelope = await ctx.call({
    endpoint: 'metasBatchQuery',
    body: jsonBody({ request_docs: docs.map((d) => ({ doc_token: d.docToken, doc_type: d.docType })), with_url: true }),
  });
  return dataOf('metasBatchQuery', envelope)
    .objects('metas')
    .map((m) =>
      withDefined(
        { docToken: m.string('doc_token'), docType: m.string('doc_type'), title: m.optString('title') ?? '' },
        { url: m.optString('url'), createTime: m.optString('create_time'), latestModifyTime: m.optString('latest_modify_time') },
      ),
    );
}
