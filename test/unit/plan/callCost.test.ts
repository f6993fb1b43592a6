import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, UPLOAD_ALL_MAX_BYTES, uploadCallCost } from '../../../src/feishu/limits.js';
import { sumCosts, totalCalls, uploadCost } from '../../../src/plan/callCost.js';

describe('call costs', () => {
  it.each([1, UPLOAD_ALL_MAX_BYTES, UPLOAD_ALL_MAX_BYTES + 1, 5 * BLOCK_SIZE + 1, 1024 * BLOCK_SIZE])(
    'an upload of %i bytes costs what limits.ts says, split per endpoint',
    (size) => {
      expect(totalCalls(uploadCost(size))).toBe(uploadCallCost(size));
    },
  );

  it('uses upload_all up to 20 MB and prepare + parts + finish above', () => {
    expect(uploadCost(UPLOAD_ALL_MAX_BYTES)).toEqual({ filesUploadAll: 1 });
    expect(uploadCost(UPLOAD_ALL_MAX_BYTES + 1)).toEqual({ filesUploadPrepare: 1, filesUploadPart: 6, filesUploadFinish: 1 });
  });

  it('sums the costs of items per endpoint', () => {
    const costs = [{ move: 1 }, { copy: 1, delete: 1 }, {}, { delete: 2 }];
    expect(sumCosts(costs.map((cost) => ({ cost })))).toEqual({ move: 1, copy: 1, delete: 3 });
  });

  it('counts a cost shared by many items once per item', () => {
    const upload = uploadCost(1);
    const items = [upload, upload, { delete: 1 }, upload, upload, upload].map((cost) => ({ cost }));
    expect(sumCosts(items)).toEqual({ filesUploadAll: 5, delete: 1 });
  });
});
