/**
 * Reading files back: `GET /files/:file_token/download` (raw bytes, exact,
 * with single-range support as the Feishu page documents) and
 * `POST /metas/batch_query`.
 */
import type { EndpointId } from '../feishu/endpoints.js';
import type { Handler, SandboxState } from './context.js';
import { AS_TARGET } from './drive.js';
import { SandboxError, okReply, type Reply } from './envelope.js';
import { nodeUrl, unixSeconds } from './entries.js';
import { readJson } from './requestBody.js';

const PARAMS_ERROR = 1061002;
const MAX_BATCH_DOCS = 200;

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range, or undefined for the whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // unreadable ranges are ignored (RFC 9110)
  let start: number, end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) {
    throw new SandboxError(PARAMS_ERROR, `range ${header} is outside the ${size}-byte file`, { httpStatus: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  return { start, end };
}

function download(state: SandboxState): Handler {
  return async ({ req, params }) => {
    const row = state.drive.live(params.file_token!, undefined, AS_TARGET);
    if (row.type !== 'file' || row.sha256 === null || row.size === null) throw new SandboxError(PARAMS_ERROR, `${row.token} is a ${row.type}; only files download`);
    const range = parseRange(req.headers.range, row.size);
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`,
      'Accept-Ranges': 'bytes',
    };
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${row.size}`;
    const reply: Reply = {
      status: range ? 206 : 200,
      headers,
      body: { stream: state.drive.blobs.openBlob(row.sha256, range), length: range ? range.end - range.start + 1 : row.size },
    };
    return reply;
  };
}

function batchQuery(state: SandboxState): Handler {
  return async ({ req }) => {
    const body = await readJson(req);
    const docs = body.request_docs;
    if (!Array.isArray(docs) || docs.length === 0 || docs.length > MAX_BATCH_DOCS) {
      throw new SandboxError(PARAMS_ERROR, `request_docs must be a list of 1..${MAX_BATCH_DOCS} { doc_token, doc_type }`);
    }
    const metas: Record<string, unknown>[] = [];
    const failed: { token: string; code: number }[] = [];
    for (const doc of docs as unknown[]) {
      const { doc_token: token, doc_type: type } = (doc ?? {}) as Record<string, unknown>;
      if (typeof token !== 'string' || typeof type !== 'string') {
        throw new SandboxError(PARAMS_ERROR, 'every request_docs item needs string doc_token and doc_type');
      }
      try {
        const row = state.drive.live(token, undefined, AS_TARGET);
        if (row.type !== type) throw new SandboxError(PARAMS_ERROR, `${token} is a ${row.type}`);
        metas.push({
          doc_token: row.token, doc_type: row.type, title: row.name, owner_id: row.owner,
          create_time: unixSeconds(row.created_ms), latest_modify_user: row.owner,
          latest_modify_time: unixSeconds(row.modified_ms), url: nodeUrl(state, row),
        });
      } catch (error) {
        if (!(error instanceof SandboxError)) throw error;
        failed.push({ token, code: error.code });
      }
    }
    return okReply({ metas, failed_list: failed });
  };
}

export function downloadHandlers(state: SandboxState): Partial<Record<EndpointId, Handler>> {
  return { download: download(state), metasBatchQuery: batchQuery(state) };
}
