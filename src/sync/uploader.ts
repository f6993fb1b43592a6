/**
 * Upload one settled local file: `upload_all` up to 20 MB, the resumable block
 * flow above. The caller decides what the result means for the index.
 */
import { UPLOAD_ALL_MAX_BYTES } from '../feishu/limits.js';
import { uploadChunked } from './chunkedUpload.js';
import { withDefined } from '../feishu/fields.js';
import { sameIdentity } from './localFiles.js';
import { ReadHasher } from './readHasher.js';
import { runCreatingCall, type UploadContext, type UploadJob, type UploadOutcome } from './uploadJob.js';

export interface UploadFileResult {
  result: UploadOutcome;
  /**
   * The file changed while upload_all was reading it: the remote content may
   * be a torn mix. The remote file exists (keep its token so the next upload
   * is a version of it) but must not be recorded as synced.
   */
  superseded: boolean;
  /**
   * Content hash (scanner's algorithm) of the bytes upload_all read, when the
   * file is unchanged since (same identity after the upload). Absent for
   * chunked uploads: the caller hashes those in a separate pass (readHasher.ts).
   */
  contentHash?: string;
}

export async function uploadFile(job: UploadJob, ctx: UploadContext): Promise<UploadFileResult> {
  const size = job.identity.size;
  if (size > UPLOAD_ALL_MAX_BYTES) {
    return { result: await uploadChunked(job, ctx), superseded: false };
  }
  let sent = 0;
  let hasher: ReadHasher | undefined;
  ctx.onProgress?.(0, size);
  await ctx.takeBandwidth?.(size, ctx.signal);
  const result = await runCreatingCall(job, ctx, () => {
    sent = 0;
    hasher = new ReadHasher(size); // each attempt reads the file again
    return ctx.drive.uploadAll({
      fileName: job.fileName,
      parent: job.parent,
      fileToken: job.fileToken,
      source: {
        path: job.absPath,
        start: 0,
        length: size,
        onData: hasher.observe,
        onBytes: (n) => {
          sent += n;
          ctx.onProgress?.(Math.min(sent, size), size);
        },
      },
    });
  });
  ctx.onProgress?.(size, size);
  let after;
  try {
    after = await ctx.fs.stat(job.absPath);
  } catch {
    after = undefined; // deleted right after the upload: the next scan trashes/forgets it
  }
  const unchanged = after !== undefined && sameIdentity(after, job.identity);
  const contentHash = unchanged ? hasher?.digest() : undefined;
  return withDefined({ result, superseded: after !== undefined && !unchanged }, { contentHash });
}
