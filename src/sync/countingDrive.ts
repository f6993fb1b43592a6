/** Wraps a DriveApi to count the calls made through it per endpoint (for SyncSummary.callsByEndpoint). */
import type { DriveApi, UploadParent } from '../feishu/driveApi.js';
import type { EndpointId } from '../feishu/endpoints.js';

export type CallCounts = Partial<Record<EndpointId, number>>;

const media = (parent: UploadParent) => parent.kind === 'media';

export function countingDrive(drive: DriveApi, counts: CallCounts): DriveApi {
  const count = (endpoint: EndpointId) => {
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  };
  return {
    uploadAll: (req) => (count(media(req.parent) ? 'mediasUploadAll' : 'filesUploadAll'), drive.uploadAll(req)),
    uploadPrepare: (req) => (count(media(req.parent) ? 'mediasUploadPrepare' : 'filesUploadPrepare'), drive.uploadPrepare(req)),
    uploadPart: (req) => (count(req.media ? 'mediasUploadPart' : 'filesUploadPart'), drive.uploadPart(req)),
    uploadFinish: (req) => (count(req.media ? 'mediasUploadFinish' : 'filesUploadFinish'), drive.uploadFinish(req)),
    rootFolderMeta: () => (count('rootFolderMeta'), drive.rootFolderMeta()),
    listFolder: (token, options) => (count('listFolder'), drive.listFolder(token, options)),
    createFolder: (name, parent) => (count('createFolder'), drive.createFolder(name, parent)),
    move: (token, type, folder) => (count('move'), drive.move(token, type, folder)),
    copy: (token, type, name, folder) => (count('copy'), drive.copy(token, type, name, folder)),
    delete: (token, type) => (count('delete'), drive.delete(token, type)),
    taskCheck: (taskId) => (count('taskCheck'), drive.taskCheck(taskId)),
    download: (token) => (count('download'), drive.download(token)),
    batchQueryMetas: (docs) => (count('metasBatchQuery'), drive.batchQueryMetas(docs)),
  };
}

export function diffCounts(after: CallCounts, before: CallCounts): CallCounts {
  const out: CallCounts = {};
  for (const [k, v] of Object.entries(after) as [EndpointId, number][]) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}
