import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, resolveAppFile } from '../../../app/main/rendererProtocol.js';

const root = '/opt/FeiSync/resources/app.asar/dist/app/renderer';

describe('the settings window scheme', () => {
  it('serves files under the renderer folder with their types', () => {
    expect(resolveAppFile('feisync-app://app/index.html', root)).toEqual({ path: `${root}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveAppFile('feisync-app://app/', root)?.path).toBe(`${root}/index.html`);
    expect(resolveAppFile('feisync-app://app/pages/folders.js?x=1#y', root)).toEqual({ path: `${root}/pages/folders.js`, contentType: 'text/javascript; charset=utf-8' });
  });

  it('never leaves the folder, whatever the encoding (a hostile path resolves inside it or not at all)', () => {
    for (const url of [
      'feisync-app://app/../../../etc/passwd.js',
      'feisync-app://app/%2e%2e/%2e%2e/secrets.js',
      'feisync-app://app/..%2f..%2f..%2fmain%2fmain.js',
      'feisync-app://app/..%5c..%5cmain.js',
      'feisync-app://app/%00.js',
      'feisync-app://app/%E0%A4%A.js',
    ]) {
      const hit = resolveAppFile(url, root);
      expect(hit === null || hit.path.startsWith(`${root}/`), url).toBe(true);
    }
    expect(resolveAppFile('feisync-app://app/%00.js', root)).toBeNull();
    expect(resolveAppFile('feisync-app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('file:///etc/passwd', root)).toBeNull();
    expect(resolveAppFile('feisync-app://app/preload.cjs', root)).toBeNull(); // unknown type: not served
    expect(resolveAppFile('not a url', root)).toBeNull();
  });

  it('allows navigation only within the app, and the CSP forbids remote code and framing', () => {
    expect(isAllowedNavigation('feisync-app://app/index.html#folders')).toBe(true);
    expect(isAllowedNavigation('https://example.feishu.cn/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });
});
