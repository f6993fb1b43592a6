/** The chunk journal of mappings and sends alike: the index, so an upload survives a quit or a crash. */
import type { IndexStore } from '../index/types.js';
import type { ChunkJournal } from './uploadJob.js';

export function indexJournal(index: IndexStore): ChunkJournal {
  return {
    get: (key, relPath) => index.getChunkUpload(key, relPath),
    start: (record) => index.startChunkUpload(record),
    ack: (key, relPath, seq, checksum) => index.ackBlock(key, relPath, seq, checksum),
    remove: (key, relPath) => index.deleteChunkUpload(key, relPath),
  };
}
