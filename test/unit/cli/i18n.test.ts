import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/en.js';
import { resolveLanguage, translator } from '../../../src/i18n/index.js';
import { zhCN } from '../../../src/i18n/zhCN.js';

describe('i18n', () => {
  it('follows --lang, then the setting, then LC_ALL > LC_MESSAGES > LANG', () => {
    expect(resolveLanguage({ flag: 'zh-CN', env: { LANG: 'en_US.UTF-8' } })).toBe('zh-CN');
    expect(resolveLanguage({ setting: 'en', env: { LANG: 'zh_CN.UTF-8' } })).toBe('en');
    expect(resolveLanguage({ setting: 'auto', env: { LANG: 'zh_CN.UTF-8' } })).toBe('zh-CN');
    expect(resolveLanguage({ env: { LC_ALL: 'en_GB.UTF-8', LANG: 'zh_CN.UTF-8' } })).toBe('en');
    expect(resolveLanguage({ env: { LC_MESSAGES: 'zh_TW', LANG: 'C' } })).toBe('zh-CN');
    expect(resolveLanguage({ env: {} })).toBe('en');
    expect(() => resolveLanguage({ flag: 'fr', env: {} })).toThrow(/unknown language "fr"/);
  });

  it('every message has a Chinese translation with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translator('en')('map.added', { id: 'm1', local: '/a', folder: 'tok' })).toBe('Added mapping m1: /a → tok');
    expect(translator('zh-CN')('map.added', { id: 'm1', local: '/a', folder: 'tok' })).toBe('已添加映射 m1：/a → tok');
  });
});
