/** Chunk journals: the index (survives crashes) and memory (explicit sends outside any mapping). */
import type { ChunkUploadRecord, IndexStore } from '../index/types.js';
import type { ChunkJournal } from './uploadJob.js';

export function indexJournal(index: IndexStore): ChunkJournal {
  return {
    get: (key, relPath) => index.getChunkUpload(key, relPath),
    start: (record) => index.startChunkUpload(record),
    ack: (key, relPath, seq, checksum) => index.ackBlock(key, relPath, seq, checksum),
    remove: (key, relPath) => index.deleteChunkUpload(key, relPath),
  };
}

export function memoryJournal(): ChunkJournal {
  const records = new Map<string, ChunkUploadRecord>();
  const k = (key: string, relPath: string) => `${key}\u0000${relPath}`;
  return {
    get: (key, relPath) => records.get(k(key, relPath)),
    start: (record) => records.set(k(record.mappingId, record.relPath), { ...record, ackedBlocks: new Map(record.ackedBlocks) }),
    ack: (key, relPath, seq, checksum) => records.get(k(key, relPath))?.ackedBlocks.set(seq, checksum),
    remove: (key, relPath) => records.delete(k(key, relPath)),
  };
}
