/** Builders for engine states the tray, notifications and pages are tested against. */
import type { EngineState, MappingState } from '../../../src/sync/engineApi.js';

/** 2026-03-01 09:30 in Shanghai; the quota resets at 2026-03-02 00:00 Shanghai (16:00 UTC). */
export const NOW = Date.UTC(2026, 2, 1, 1, 30);
export const RESETS_AT = Date.UTC(2026, 2, 1, 16, 0);

export function mapping(overrides: Partial<MappingState> = {}): MappingState {
  return {
    id: 'm1',
    localPath: '/home/ada/Photos',
    folderToken: 'fldcnPhotos123',
    folderUrl: 'https://example.feishu.cn/drive/folder/fldcnPhotos123',
    status: 'idle',
    pending: 0,
    uploading: 0,
    failed: 0,
    skipped: 0,
    synced: 120,
    firstSyncDone: true,
    ...overrides,
  };
}

export function engineState(overrides: Partial<EngineState> = {}): EngineState {
  return {
    running: true,
    paused: false,
    online: true,
    mappings: [mapping()],
    quota: {
      day: '2026-03-01',
      resetsAt: RESETS_AT,
      exhausted: false,
      endpoints: [
        { endpoint: 'filesUploadAll', used: 1234, limit: 10_000, left: 8766 },
        { endpoint: 'listFolder', used: 0, limit: 10_000, left: 10_000 },
      ],
    },
    inFlight: [],
    recent: [],
    lastErrors: [],
    ...overrides,
  };
}
