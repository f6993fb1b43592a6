import { describe, expect, it } from 'vitest';
import { isRetryableCall } from '../../../src/sync/driveCalls.js';
import { feishuError } from './fakes/fakeDrive.js';

describe('which failed calls are simply sent again', () => {
  it('1061021 (upload expired) from a part or the finish is left to the uploader: it restarts the whole upload', () => {
    for (const endpoint of ['filesUploadPart', 'filesUploadFinish', 'mediasUploadPart', 'mediasUploadFinish'] as const) {
      expect(isRetryableCall(feishuError(1061021, endpoint))).toBe(false);
    }
  });

  it('1061021 from upload_all or upload_prepare is answered by sending that call again (it is the restart)', () => {
    expect(isRetryableCall(feishuError(1061021, 'filesUploadAll'))).toBe(true);
    expect(isRetryableCall(feishuError(1061021, 'filesUploadPrepare'))).toBe(true);
    expect(isRetryableCall(feishuError(1061021, 'mediasUploadAll'))).toBe(true);
  });

  it('1062010 (blocks missing) from the finish is left to the uploader; from a part it resends that part', () => {
    expect(isRetryableCall(feishuError(1062010, 'filesUploadFinish'))).toBe(false);
    expect(isRetryableCall(feishuError(1062010, 'filesUploadPart'))).toBe(true);
  });

  it('unchanged: transient errors retry, fatal ones do not', () => {
    expect(isRetryableCall(feishuError(1061045, 'filesUploadPart'))).toBe(true);
    expect(isRetryableCall(feishuError(1062008, 'filesUploadPart'))).toBe(true);
    expect(isRetryableCall(feishuError(1061004, 'filesUploadAll'))).toBe(false);
  });
});
