import { describe, expect, it } from 'vitest';
import { errorInfo, FEISHU_ERROR_CODES, LOCAL_ERROR_CODES } from '../../../src/feishu/errorCodes.js';
import { ZH_FEISHU_REMEDIES } from '../../../src/i18n/feishuRemedies.js';
import { localizeRemedy } from '../../../src/i18n/localizeRemedy.js';

const commands = (text: string) => [...text.matchAll(/`[^`]+`/g)].map((m) => m[0]);

describe("Feishu's remedies in Chinese", () => {
  it('has a line for every code of the error table, naming the same commands', () => {
    for (const [code, info] of FEISHU_ERROR_CODES) {
      const zh = ZH_FEISHU_REMEDIES[code];
      expect(zh, `code ${code}`).toBeTruthy();
      expect(commands(zh!), `code ${code}`).toEqual(commands(info.remedy));
    }
    expect(Object.keys(ZH_FEISHU_REMEDIES).map(Number).filter((c) => !FEISHU_ERROR_CODES.has(c))).toEqual([]);
  });

  it('is used only for zh-CN; a FeiSync code keeps a remedy that has no Chinese line', () => {
    const forbidden = FEISHU_ERROR_CODES.get(1061004)!;
    expect(localizeRemedy(1061004, forbidden.remedy, 'en')).toBe(forbidden.remedy);
    expect(localizeRemedy(1061004, forbidden.remedy, 'zh-CN')).toBe(ZH_FEISHU_REMEDIES[1061004]);
    expect(localizeRemedy('E_LOCAL_MISSING', 'The file is gone.', 'zh-CN')).toBe('The file is gone.');
  });

  it('covers what the table makes up for codes it does not list', () => {
    const network = errorInfo(LOCAL_ERROR_CODES.network, 0);
    expect(localizeRemedy(network.code, network.remedy, 'zh-CN')).toMatch(/网络/);
    const gateway = errorInfo(1234567, 502);
    expect(localizeRemedy(gateway.code, gateway.remedy, 'zh-CN')).toMatch(/网络/);
    const bad = errorInfo(LOCAL_ERROR_CODES.badResponse, 200);
    expect(localizeRemedy(bad.code, bad.remedy, 'zh-CN')).toMatch(/无法解析/);
    const unknown = errorInfo(7654321, 400);
    expect(localizeRemedy(unknown.code, unknown.remedy, 'zh-CN')).toBe('飞书错误 7654321：联系支持时请提供消息中的日志 ID。');
  });
});
