/**
 * A multipart/form-data body over one in-memory buffer, streamed in slices
 * (no copy of the file bytes) with an exact Content-Length. Field order is
 * kept as given: Feishu's upload endpoints expect the fields before `file`
 * (request shapes of the official SDK's drive.v1 file/media upload calls).
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RequestBody } from './http.js';

export interface MultipartFile {
  /** Name of the form field (Feishu: "file"). */
  field: string;
  /** `filename` in Content-Disposition. */
  filename: string;
  data: Uint8Array;
  /** Called with the size of every slice as the transport takes it. */
  onBytes?: (n: number) => void;
}

/** Slice size handed to the socket; small enough for smooth progress, large enough to be cheap. */
export const MULTIPART_SLICE_BYTES = 256 * 1024;

/** Quotes and line breaks cannot appear inside a Content-Disposition parameter. */
function quoteParam(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/"/g, '%22');
}

export function newBoundary(): string {
  return `----FeiSync${randomBytes(12).toString('hex')}`;
}

export function buildMultipart(
  fields: ReadonlyArray<readonly [string, string]>,
  file: MultipartFile,
  boundary: string = newBoundary(),
): () => RequestBody {
  let head = '';
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParam(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParam(file.field)}"; filename="${quoteParam(file.filename)}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const length = headBytes.length + file.data.length + tailBytes.length;

  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield headBytes;
    for (let offset = 0; offset < file.data.length; offset += MULTIPART_SLICE_BYTES) {
      const slice = file.data.subarray(offset, Math.min(offset + MULTIPART_SLICE_BYTES, file.data.length));
      yield slice;
      file.onBytes?.(slice.length);
    }
    yield tailBytes;
  }

  return () => ({ contentType: `multipart/form-data; boundary=${boundary}`, length, body: Readable.from(chunks(), { objectMode: false }) });
}
