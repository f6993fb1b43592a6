/**
 * The upload endpoints, for Drive files (`/files/…`) and media (`/medias/…`):
 * upload_all, and the block flow upload_prepare → upload_part → upload_finish.
 * Rules and codes: ../shared/feishu-drive-api.md, "Upload a small file" and
 * "Upload a big file in blocks".
 */
import { rename } from 'node:fs/promises';
import type { EndpointId } from '../feishu/endpoints.js';
import { BLOCK_SIZE, UPLOAD_ALL_MAX_BYTES, blockCount } from '../feishu/limits.js';
import type { Handler, SandboxState } from './context.js';
import { AS_TARGET, AS_UPLOAD_PARENT, ownerId } from './drive.js';
import { SandboxError, okReply } from './envelope.js';
import { checkChecksum, optionalString, requiredString, validName, wholeNumber } from './fields.js';
import { readJson, readMultipart, type UploadedFile } from './requestBody.js';
import { newToken } from './ids.js';
import type { UploadRow } from './store.js';

const PARAMS_ERROR = 1061002;

/**
 * The biggest file upload_prepare accepts. Feishu's page names no number
 * (unconfirmed); 20 GiB keeps absurd declared sizes out.
 */
export const MAX_FILE_BYTES = 20 * 1024 * 1024 * 1024;

/** `parent_type` values of the media endpoints (the SDK's documented list). */
export const MEDIA_PARENT_TYPES: readonly string[] = [
  'doc_image', 'docx_image', 'sheet_image', 'doc_file', 'docx_file', 'sheet_file', 'vc_virtual_background',
  'bitable_image', 'bitable_file', 'moments', 'ccm_import_open', 'calendar', 'base_global', 'lark_ai_media_analysis',
  'whiteboard', 'mindnote_image', 'comment_image', 'slide_img', 'slide_file', 'email', 'bitable_tmp_point',
  'office_sheet_file', 'office_slide_file',
];

interface Destination {
  name: string;
  parentType: string;
  parentNode: string;
  extra?: string;
  fileToken?: string;
}

/** Read and check where an upload goes (prepare and upload_all share this). */
function destination(state: SandboxState, body: Record<string, unknown>, media: boolean, partial: boolean): Destination {
  const name = validName(body, 'file_name');
  const parentType = requiredString(body, 'parent_type');
  if (media) {
    if (!MEDIA_PARENT_TYPES.includes(parentType)) {
      throw new SandboxError(PARAMS_ERROR, `parent_type "${parentType}" is not a media parent type (${MEDIA_PARENT_TYPES.join(', ')})`);
    }
    // Media prepare may omit parent_node (the SDK marks it optional there).
    const parentNode = partial ? (optionalString(body, 'parent_node') ?? '') : requiredString(body, 'parent_node');
    const extra = optionalString(body, 'extra');
    return { name, parentType, parentNode, ...(extra ? { extra } : {}) };
  }
  if (parentType !== 'explorer') throw new SandboxError(PARAMS_ERROR, `parent_type must be "explorer" for Drive files, got "${parentType}"`);
  const parentNode = requiredString(body, 'parent_node');
  const fileToken = optionalString(body, 'file_token');
  if (fileToken) state.drive.live(fileToken, 'file', AS_TARGET);
  else state.drive.folderWithRoom(parentNode, AS_UPLOAD_PARENT);
  return { name, parentType, parentNode, ...(fileToken ? { fileToken } : {}) };
}

/** Store committed bytes where the destination says; returns the reply data. */
async function place(state: SandboxState, media: boolean, dest: Destination, identity: string, file: { size: number; sha256: string }) {
  const { drive } = state;
  if (media) {
    const token = newToken('boxcn');
    drive.store.insertMedia({
      token, name: dest.name, parent_type: dest.parentType, parent_node: dest.parentNode, extra: dest.extra ?? null,
      size: file.size, sha256: file.sha256, created_ms: state.clock.now(), owner: ownerId(identity),
    });
    return { file_token: token };
  }
  const row = drive.placeFile({ name: dest.name, parentToken: dest.parentNode, identity, size: file.size, sha256: file.sha256, ...(dest.fileToken ? { fileToken: dest.fileToken } : {}) });
  // Feishu answers a version only when one was asked for (file_token given).
  return dest.fileToken ? { file_token: row.token, version: String(row.version) } : { file_token: row.token };
}

function checkBytes(fields: Record<string, unknown>, file: UploadedFile | undefined, declared: number): UploadedFile {
  if (!file) throw new SandboxError(PARAMS_ERROR, 'missing the file part (named "file")');
  if (file.hashed.size !== declared) throw new SandboxError(1062009, `declared ${declared} bytes, received ${file.hashed.size}`);
  checkChecksum(fields, file.hashed.adler32);
  return file;
}

function uploadAll(state: SandboxState, media: boolean): Handler {
  return async ({ req, identity }) => {
    const { fields, file } = await readMultipart(req, state.drive.blobs, { maxFileBytes: UPLOAD_ALL_MAX_BYTES, tooLargeCode: 1061043 });
    let committed = false;
    try {
      const dest = destination(state, fields, media, false);
      const size = wholeNumber(fields, 'size', { min: 1 });
      // The doc lists 1061043 "file size beyond limit" for this; 1061002 is for malformed sizes.
      if (size > UPLOAD_ALL_MAX_BYTES) throw new SandboxError(1061043, `upload_all takes at most ${UPLOAD_ALL_MAX_BYTES} bytes; use upload_prepare`);
      const bytes = checkBytes(fields, file, size);
      await state.drive.blobs.commit(bytes.tmpPath, bytes.hashed.sha256);
      committed = true;
      return okReply(await place(state, media, dest, identity, bytes.hashed));
    } finally {
      if (file && !committed) await state.drive.blobs.discard(file.tmpPath);
    }
  };
}

function uploadPrepare(state: SandboxState, media: boolean): Handler {
  return async ({ req, identity }) => {
    const body = await readJson(req);
    const dest = destination(state, body, media, true);
    const size = wholeNumber(body, 'size', { min: 1 });
    if (size > MAX_FILE_BYTES) throw new SandboxError(1061043, `${size} bytes is over the ${MAX_FILE_BYTES}-byte file limit`);
    const row: UploadRow = {
      upload_id: newToken('up', 24), media: media ? 1 : 0, identity, file_name: dest.name, parent_type: dest.parentType,
      parent_node: dest.parentNode, extra: dest.extra ?? null, size, block_num: blockCount(size),
      file_token: dest.fileToken ?? null, created_ms: state.clock.now(),
    };
    state.drive.store.insertUpload(row);
    return okReply({ upload_id: row.upload_id, block_size: BLOCK_SIZE, block_num: row.block_num });
  };
}

/** The upload session an upload_id names, if this identity may use it now. */
function session(state: SandboxState, body: Record<string, unknown>, media: boolean, identity: string): UploadRow {
  const uploadId = requiredString(body, 'upload_id');
  const row = state.drive.store.upload(uploadId);
  if (!row || row.media !== (media ? 1 : 0)) throw new SandboxError(PARAMS_ERROR, `unknown upload_id ${uploadId}`);
  if (state.clock.now() - row.created_ms > state.uploadTtlMs) throw new SandboxError(1061021, `upload ${uploadId} expired; call upload_prepare again`);
  if (row.identity !== identity) throw new SandboxError(1062007, `upload ${uploadId} was prepared by another identity`);
  return row;
}

function expectedBlockSize(row: UploadRow, seq: number): number {
  return seq < row.block_num - 1 ? BLOCK_SIZE : row.size - BLOCK_SIZE * (row.block_num - 1);
}

function uploadPart(state: SandboxState, media: boolean): Handler {
  return async ({ req, identity }) => {
    const { blobs, store } = state.drive;
    const { fields, file } = await readMultipart(req, blobs, { maxFileBytes: BLOCK_SIZE, tooLargeCode: PARAMS_ERROR });
    let kept = false;
    try {
      const row = session(state, fields, media, identity);
      const seq = wholeNumber(fields, 'seq', { min: 0 });
      if (seq >= row.block_num) throw new SandboxError(1062011, `seq ${seq} is outside 0..${row.block_num - 1}`);
      const size = wholeNumber(fields, 'size', { min: 1 });
      const expected = expectedBlockSize(row, seq);
      if (size !== expected) {
        throw new SandboxError(PARAMS_ERROR, `block ${seq} must be ${expected} bytes (blocks are ${BLOCK_SIZE} bytes, the last holds the rest), got size ${size}`);
      }
      const bytes = checkBytes(fields, file, size);
      await rename(bytes.tmpPath, blobs.partPath(row.upload_id, seq));
      kept = true;
      store.putBlock(row.upload_id, seq, size);
      return okReply({});
    } finally {
      if (file && !kept) await blobs.discard(file.tmpPath);
    }
  };
}

function uploadFinish(state: SandboxState, media: boolean): Handler {
  const finishing = new Set<string>();
  return async ({ req, identity }) => {
    const { blobs, store } = state.drive;
    const body = await readJson(req);
    const row = session(state, body, media, identity);
    const blockNum = wholeNumber(body, 'block_num', { min: 0 });
    if (blockNum !== row.block_num) throw new SandboxError(1062011, `block_num ${blockNum} does not match the ${row.block_num} blocks of this upload`);
    const present = new Set(store.blockSeqs(row.upload_id));
    const missing = Array.from({ length: row.block_num }, (_, seq) => seq).filter((seq) => !present.has(seq));
    if (missing.length > 0) throw new SandboxError(1062010, `missing blocks ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`);
    // upload_finish is documented "not for concurrent calls"; a second one in flight is told to retry.
    if (finishing.has(row.upload_id)) throw new SandboxError(1061045, `upload ${row.upload_id} is already finishing`);
    finishing.add(row.upload_id);
    try {
      const dest: Destination = {
        name: row.file_name, parentType: row.parent_type, parentNode: row.parent_node,
        ...(row.extra ? { extra: row.extra } : {}), ...(row.file_token ? { fileToken: row.file_token } : {}),
      };
      const { tmp, hashed } = await blobs.assemble(row.upload_id, row.block_num);
      if (hashed.size !== row.size) {
        await blobs.discard(tmp);
        throw new SandboxError(1062009, `the blocks hold ${hashed.size} bytes, prepared for ${row.size}`);
      }
      await blobs.commit(tmp, hashed.sha256);
      const data = await place(state, media, dest, identity, hashed);
      store.deleteUpload(row.upload_id);
      await blobs.removeParts(row.upload_id, row.block_num);
      return okReply(data);
    } finally {
      finishing.delete(row.upload_id);
    }
  };
}

/**
 * Free the block files of expired uploads (run at startup). The sessions stay,
 * so a late client still hears 1061021 "upload id expire", not "unknown".
 */
export async function sweepExpiredUploads(state: SandboxState): Promise<number> {
  const { store, blobs } = state.drive;
  const expired = store.expiredUploadsWithBlocks(state.clock.now() - state.uploadTtlMs);
  for (const row of expired) {
    await blobs.removeParts(row.upload_id, row.block_num);
    store.dropBlocks(row.upload_id);
  }
  return expired.length;
}

export function uploadHandlers(state: SandboxState): Partial<Record<EndpointId, Handler>> {
  return {
    filesUploadAll: uploadAll(state, false),
    filesUploadPrepare: uploadPrepare(state, false),
    filesUploadPart: uploadPart(state, false),
    filesUploadFinish: uploadFinish(state, false),
    mediasUploadAll: uploadAll(state, true),
    mediasUploadPrepare: uploadPrepare(state, true),
    mediasUploadPart: uploadPart(state, true),
    mediasUploadFinish: uploadFinish(state, true),
  };
}

