import { afterEach } from 'vitest';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/index.js';

/**
 * Sandboxes for one test file, limits off unless asked, each closed after the
 * test that started it. Call at the top level of the test file.
 */
export function sandboxPerTest(): (options?: SandboxOptions) => Promise<SandboxHandle> {
  const open: SandboxHandle[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const s = await startSandbox({ limits: 'off', ...options });
    open.push(s);
    return s;
  };
}
