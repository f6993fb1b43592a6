/**
 * The eight upload calls (files/* and medias/*). One request shape each, as
 * the official SDK sends them: upload_all and upload_part are multipart with
 * the fields in the SDK's order and `file` last; prepare and finish are JSON.
 * The bytes are read once per call from the ByteSource (sourceReader.ts),
 * before the request hook lets the call through (see http.ts: the grant is
 * then followed at once by the send).
 */
import type { ApiContext } from './apiContext.js';
import type {
  ByteSource,
  UploadAllRequest,
  UploadFinishRequest,
  UploadParent,
  UploadPartRequest,
  UploadPrepareRequest,
  UploadPrepareResult,
  UploadResult,
} from './driveApi.js';
import type { EndpointId } from './endpoints.js';
import { dataOf } from './envelope.js';
import { withDefined, type FieldReader } from './fields.js';
import { jsonBody, type RequestBody } from './http.js';
import { buildMultipart } from './multipart.js';
import { readRange, type ReadRange } from './sourceReader.js';

type UploadStep = 'UploadAll' | 'UploadPrepare' | 'UploadPart' | 'UploadFinish';

function endpointFor(media: boolean | undefined, step: UploadStep): EndpointId {
  return `${media ? 'medias' : 'files'}${step}`;
}

/** parent_type / parent_node (/ extra for media) of an upload target. */
function parentFields(parent: UploadParent): { parentType: string; parentNode: string; extra?: string } {
  return parent.kind === 'explorer'
    ? { parentType: 'explorer', parentNode: parent.folderToken }
    : { parentType: parent.parentType, parentNode: parent.parentNode, extra: parent.extra };
}

function uploadResult(fields: FieldReader, checksum?: string): UploadResult {
  return withDefined({ fileToken: fields.string('file_token') }, { checksum, version: fields.optString('version'), url: fields.optString('url') });
}

/**
 * A multipart body over a ByteSource, read on first use and kept for a
 * re-auth resend. `fieldsBefore` gets the read range (its size and checksum).
 */
function sourceBody(
  source: ByteSource,
  filename: string,
  fieldsBefore: (range: ReadRange) => [string, string][],
): { body: () => Promise<RequestBody>; read: () => Promise<ReadRange> } {
  let range: Promise<ReadRange> | undefined;
  const read = () => (range ??= readRange(source));
  return {
    read,
    body: async () => {
      const r = await read();
      return buildMultipart(fieldsBefore(r), { field: 'file', filename, data: r.data, onBytes: source.onBytes })();
    },
  };
}

export async function uploadAll(ctx: ApiContext, req: UploadAllRequest): Promise<UploadResult> {
  const media = req.parent.kind === 'media';
  const endpoint = endpointFor(media, 'UploadAll');
  const source: ByteSource =
    req.source.start === 0 && req.source.expectedFileSize === undefined ? { ...req.source, expectedFileSize: req.source.length } : req.source;
  const parent = parentFields(req.parent);
  const { body, read } = sourceBody(source, req.fileName, ({ data, checksum }) => {
    const fields: [string, string][] = [
      ['file_name', req.fileName],
      ['parent_type', parent.parentType],
      ['parent_node', parent.parentNode],
      ['size', String(data.length)],
    ];
    if (source.sendChecksum !== false) fields.push(['checksum', checksum]);
    if (parent.extra !== undefined) fields.push(['extra', parent.extra]);
    if (req.fileToken !== undefined) fields.push(['file_token', req.fileToken]);
    return fields;
  });
  const envelope = await ctx.call({ endpoint, body, signal: req.signal });
  return uploadResult(dataOf(endpoint, envelope), (await read()).checksum);
}

export async function uploadPrepare(ctx: ApiContext, req: UploadPrepareRequest): Promise<UploadPrepareResult> {
  const endpoint = endpointFor(req.parent.kind === 'media', 'UploadPrepare');
  const parent = parentFields(req.parent);
  const payload: Record<string, unknown> = {
    file_name: req.fileName,
    parent_type: parent.parentType,
    parent_node: parent.parentNode,
    size: req.size,
  };
  if (parent.extra !== undefined) payload.extra = parent.extra;
  if (req.fileToken !== undefined) payload.file_token = req.fileToken;
  const envelope = await ctx.call({ endpoint, body: jsonBody(payload), signal: req.signal });
  const fields = dataOf(endpoint, envelope);
  return { uploadId: fields.string('upload_id'), blockSize: fields.number('block_size'), blockNum: fields.number('block_num') };
}

export async function uploadPart(ctx: ApiContext, req: UploadPartRequest): Promise<{ checksum: string }> {
  const endpoint = endpointFor(req.media, 'UploadPart');
  const { body, read } = sourceBody(req.source, `block-${req.seq}`, ({ data, checksum }) => {
    const fields: [string, string][] = [
      ['upload_id', req.uploadId],
      ['seq', String(req.seq)],
      ['size', String(data.length)],
    ];
    if (req.source.sendChecksum !== false) fields.push(['checksum', checksum]);
    return fields;
  });
  await ctx.call({ endpoint, body, signal: req.signal });
  return { checksum: (await read()).checksum };
}

export async function uploadFinish(ctx: ApiContext, req: UploadFinishRequest): Promise<UploadResult> {
  const endpoint = endpointFor(req.media, 'UploadFinish');
  const envelope = await ctx.call({ endpoint, body: jsonBody({ upload_id: req.uploadId, block_num: req.blockNum }), signal: req.signal });
  return uploadResult(dataOf(endpoint, envelope));
}
