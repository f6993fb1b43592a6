/**
 * Folder-tree endpoints: root folder meta, list (paged), create_folder, move,
 * copy, delete (to the recycle bin) and task_check. Shapes:
 * ../shared/feishu-drive-api.md, "Folders and files".
 */
import { createHash } from 'node:crypto';
import type { EndpointId } from '../feishu/endpoints.js';
import { MAX_LIST_PAGE_SIZE } from '../feishu/limits.js';
import type { Handler, SandboxState } from './context.js';
import { AS_TARGET, ownerId } from './drive.js';
import { SandboxError, okReply } from './envelope.js';
import { listEntry, nodeUrl } from './entries.js';
import { requiredString, validName } from './fields.js';
import { readJson } from './requestBody.js';
import { newToken } from './ids.js';
import type { NodeRow } from './store.js';

const PARAMS_ERROR = 1061002;
const DEFAULT_PAGE_SIZE = 100;

function queryParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  return value === null || value === '' ? undefined : value;
}

function pageSize(url: URL): number {
  const raw = queryParam(url, 'page_size');
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_LIST_PAGE_SIZE) {
    throw new SandboxError(PARAMS_ERROR, `page_size must be 1..${MAX_LIST_PAGE_SIZE}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** The sort key of a listing; a page token is the key of the last entry sent. */
interface Cursor {
  time: number;
  token: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.time}.${c.token}`).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  const match = /^(\d+)\.([A-Za-z0-9]+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) throw new SandboxError(PARAMS_ERROR, `page_token ${JSON.stringify(raw)} was not issued by this server`);
  return { time: Number(match[1]), token: match[2]! };
}

function listFolder(state: SandboxState): Handler {
  return async ({ url }) => {
    const folderToken = queryParam(url, 'folder_token') ?? state.drive.rootToken;
    const size = pageSize(url);
    const orderBy = queryParam(url, 'order_by') ?? 'EditedTime';
    if (orderBy !== 'EditedTime' && orderBy !== 'CreatedTime') throw new SandboxError(PARAMS_ERROR, `order_by must be EditedTime or CreatedTime, got ${orderBy}`);
    const direction = queryParam(url, 'direction') ?? 'DESC';
    if (direction !== 'ASC' && direction !== 'DESC') throw new SandboxError(PARAMS_ERROR, `direction must be ASC or DESC, got ${direction}`);
    const pageToken = queryParam(url, 'page_token');
    const after = pageToken === undefined ? undefined : decodeCursor(pageToken);

    state.drive.live(folderToken, 'folder', AS_TARGET);
    const sign = direction === 'ASC' ? 1 : -1;
    const keyOf = (row: NodeRow): Cursor => ({ time: orderBy === 'EditedTime' ? row.modified_ms : row.created_ms, token: row.token });
    const compare = (a: Cursor, b: Cursor) => sign * (a.time - b.time) || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0);
    const rows = state.drive.store
      .liveChildren(folderToken)
      .sort((a, b) => compare(keyOf(a), keyOf(b)))
      .filter((row) => after === undefined || compare(keyOf(row), after) > 0);
    const page = rows.slice(0, size);
    const hasMore = rows.length > size;
    return okReply({
      files: page.map((row) => listEntry(state, row)),
      has_more: hasMore,
      ...(hasMore ? { next_page_token: encodeCursor(keyOf(page[page.length - 1]!)) } : {}),
    });
  };
}

function rootFolderMeta(state: SandboxState): Handler {
  return async ({ identity }) => {
    const root = state.drive.rootToken;
    const id = BigInt('0x' + createHash('sha256').update(root).digest('hex').slice(0, 15)).toString();
    return okReply({ token: root, id, user_id: ownerId(identity) });
  };
}

function createFolder(state: SandboxState): Handler {
  return async ({ req, identity }) => {
    const body = await readJson(req);
    const name = validName(body, 'name');
    const parent = requiredString(body, 'folder_token');
    const row = state.drive.createFolder(name, parent, identity);
    return okReply({ token: row.token, url: nodeUrl(state, row) });
  };
}

/** The node a path `:file_token` names, checked against the `type` the client says it is. */
function pathNode(state: SandboxState, token: string, type: string): NodeRow {
  const row = state.drive.live(token, undefined, AS_TARGET);
  if (row.type !== type) throw new SandboxError(PARAMS_ERROR, `${token} is a ${row.type}, but type=${type} was sent`);
  if (row.token === state.drive.rootToken) throw new SandboxError(PARAMS_ERROR, 'the root folder cannot be moved, copied or deleted');
  return row;
}

function newTask(state: SandboxState, kind: string, token: string): string {
  const taskId = newToken('task', 20);
  state.drive.store.insertTask(taskId, kind, token, state.clock.now());
  return taskId;
}

function move(state: SandboxState): Handler {
  return async ({ req, params }) => {
    const body = await readJson(req);
    const row = pathNode(state, params.file_token!, requiredString(body, 'type'));
    state.drive.move(row, requiredString(body, 'folder_token'));
    // Files move synchronously; folders answer a task id (the sandbox finishes the task at once).
    return okReply(row.type === 'folder' ? { task_id: newTask(state, 'move', row.token) } : {});
  };
}

function copy(state: SandboxState): Handler {
  return async ({ req, params, identity }) => {
    const body = await readJson(req);
    const type = requiredString(body, 'type');
    const source = pathNode(state, params.file_token!, type);
    if (source.type !== 'file') throw new SandboxError(PARAMS_ERROR, 'only files can be copied');
    const name = validName(body, 'name');
    const row = state.drive.copyFile(source, name, requiredString(body, 'folder_token'), identity);
    return okReply({ file: { token: row.token, name: row.name, type: row.type, parent_token: row.parent_token, url: nodeUrl(state, row) } });
  };
}

function remove(state: SandboxState): Handler {
  return async ({ url, params }) => {
    const type = queryParam(url, 'type');
    if (type === undefined) throw new SandboxError(PARAMS_ERROR, 'missing query parameter type');
    const row = pathNode(state, params.file_token!, type);
    state.drive.store.trash(row.token, state.clock.now());
    return okReply(row.type === 'folder' ? { task_id: newTask(state, 'delete', row.token) } : {});
  };
}

function taskCheck(state: SandboxState): Handler {
  return async ({ url }) => {
    const taskId = queryParam(url, 'task_id');
    if (taskId === undefined) throw new SandboxError(PARAMS_ERROR, 'missing query parameter task_id');
    const task = state.drive.store.task(taskId);
    if (!task) throw new SandboxError(1061003, `no task ${taskId}`);
    // The sandbox applies the change at once; with taskMs it still answers "process" for that long.
    return okReply({ status: state.clock.now() - task.createdMs < state.taskMs ? 'process' : 'success' });
  };
}

export function folderHandlers(state: SandboxState): Partial<Record<EndpointId, Handler>> {
  return {
    rootFolderMeta: rootFolderMeta(state),
    listFolder: listFolder(state),
    createFolder: createFolder(state),
    move: move(state),
    copy: copy(state),
    delete: remove(state),
    taskCheck: taskCheck(state),
  };
}

