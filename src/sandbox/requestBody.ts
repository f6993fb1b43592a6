/**
 * Reading request bodies defensively: JSON bodies up to a small limit, and
 * multipart/form-data (busboy) with the one file part streamed to a temporary
 * blob while it is hashed. Every malformed body becomes a 1061002 answer;
 * bodies declared bigger than the endpoint allows are refused before a byte
 * of them is read.
 */
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { BlobStore, HashedBytes } from './blobs.js';
import { SandboxError } from './envelope.js';

const PARAMS_ERROR = 1061002;
const MAX_JSON_BYTES = 1024 * 1024;
/** Room for the multipart fields and boundaries around the file part. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  return raw === undefined ? undefined : Number(raw);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  if (type !== 'application/json') {
    throw new SandboxError(PARAMS_ERROR, `this endpoint takes a JSON body (Content-Type: application/json), got "${type || 'none'}"`);
  }
  const length = declaredLength(req);
  if (length !== undefined && length > MAX_JSON_BYTES) {
    throw new SandboxError(PARAMS_ERROR, `JSON body of ${length} bytes is over ${MAX_JSON_BYTES}`, { closeConnection: true });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_JSON_BYTES) throw new SandboxError(PARAMS_ERROR, `JSON body is over ${MAX_JSON_BYTES} bytes`, { closeConnection: true });
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new SandboxError(PARAMS_ERROR, 'the body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SandboxError(PARAMS_ERROR, 'the JSON body must be an object');
  }
  return parsed as Record<string, unknown>;
}

export interface UploadedFile {
  /** Temporary blob path; the caller commits or discards it. */
  tmpPath: string;
  hashed: HashedBytes;
}

export interface MultipartBody {
  fields: Record<string, string>;
  file?: UploadedFile;
}

export interface MultipartLimits {
  maxFileBytes: number;
  /** Code for a body declared (Content-Length) bigger than the endpoint takes. */
  tooLargeCode: number;
}

export async function readMultipart(req: IncomingMessage, blobs: BlobStore, limits: MultipartLimits): Promise<MultipartBody> {
  const type = mediaType(req);
  if (type !== 'multipart/form-data') {
    throw new SandboxError(PARAMS_ERROR, `this endpoint takes multipart/form-data, got "${type || 'none'}"`);
  }
  const length = declaredLength(req);
  if (length !== undefined && length > limits.maxFileBytes + MULTIPART_OVERHEAD_BYTES) {
    throw new SandboxError(limits.tooLargeCode, `request body of ${length} bytes is over the ${limits.maxFileBytes}-byte limit`, { closeConnection: true });
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { fileSize: limits.maxFileBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 },
    });
  } catch (error) {
    throw new SandboxError(PARAMS_ERROR, `malformed multipart header: ${(error as Error).message}`);
  }

  const fields: Record<string, string> = {};
  let problem: SandboxError | undefined;
  let fileWrite: Promise<UploadedFile | undefined> | undefined;
  let fileStream: { destroy(): void } | undefined;
  let stopEarly: (() => void) | undefined;
  const fail = (detail: string) => {
    problem ??= new SandboxError(PARAMS_ERROR, detail);
  };

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(`field ${name} is too long`);
    else if (name in fields) fail(`field ${name} is given twice`);
    else fields[name] = value;
  });
  parser.on('file', (name, stream) => {
    if (name !== 'file') {
      fail(`unexpected file part "${name}" (the file goes in the part named "file")`);
      stream.resume();
      return;
    }
    // A file over the limit (a body without Content-Length) is refused without reading the rest.
    stream.once('limit', () => {
      problem = new SandboxError(limits.tooLargeCode, `the file part is over the ${limits.maxFileBytes}-byte limit`, { closeConnection: true });
      stream.destroy();
      stopEarly?.();
    });
    const tmpPath = blobs.tmpPath();
    fileStream = stream;
    fileWrite = blobs.writeHashed(stream, tmpPath).then(
      (hashed) => ({ tmpPath, hashed }),
      () => undefined, // writeHashed removed the half-written temporary
    );
  });
  parser.on('partsLimit', () => fail('too many multipart parts'));
  parser.on('filesLimit', () => fail('more than one file part'));
  parser.on('fieldsLimit', () => fail('too many fields'));

  try {
    await new Promise<void>((resolve, reject) => {
      stopEarly = () => {
        req.unpipe(parser);
        resolve();
      };
      parser.on('close', resolve);
      parser.on('error', (error: Error) => reject(new SandboxError(PARAMS_ERROR, `malformed multipart body: ${error.message}`)));
      // A client gone mid-body: nobody reads the answer, but the temporary must go.
      const gone = () => reject(new SandboxError(1062051, 'the client closed the connection during the upload'));
      req.on('error', gone);
      req.on('close', () => {
        if (!req.complete) gone();
      });
      req.pipe(parser);
    });
  } catch (error) {
    req.unpipe(parser);
    fileStream?.destroy(); // ends a file part cut short, so its write settles
    const file = await fileWrite;
    if (file) await blobs.discard(file.tmpPath);
    throw error;
  }
  const file = await fileWrite;
  if (problem) {
    if (file) await blobs.discard(file.tmpPath);
    throw problem;
  }
  return file ? { fields, file } : { fields };
}
