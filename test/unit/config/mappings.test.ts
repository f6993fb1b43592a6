import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMapping, changeMapping, parseFolderRef, removeMapping } from '../../../src/config/mappings.js';
import { DEFAULT_SETTINGS } from '../../../src/config/settings.js';

const dir = () => mkdtempSync(join(tmpdir(), 'feisync-map-'));

describe('folder references', () => {
  it('extracts the token from Feishu and Lark folder URLs', () => {
    expect(parseFolderRef('https://acme.feishu.cn/drive/folder/fldcnAbC123xyz')).toEqual({
      folderToken: 'fldcnAbC123xyz',
      folderUrl: 'https://acme.feishu.cn/drive/folder/fldcnAbC123xyz',
    });
    expect(parseFolderRef('https://acme.larksuite.com/drive/folder/nodusXyz789?from=space&x=1').folderToken).toBe('nodusXyz789');
  });

  it('accepts a bare token', () => {
    expect(parseFolderRef('  nodcnABCDEF  ')).toEqual({ folderToken: 'nodcnABCDEF' });
  });

  it.each([
    ['https://acme.feishu.cn/docx/abc123', /not \/drive\/folder/],
    ['ftp://acme.feishu.cn/drive/folder/abc123', /not http/],
    ['https://', /not a valid URL/],
    ['hello world', /letters, digits/],
    ['', /letters, digits/],
  ])('rejects %j with a clear message', (input, why) => {
    expect(() => parseFolderRef(input)).toThrow(why);
  });
});

describe('mappings', () => {
  it('adds a mapping with an absolute path, the next free id and defaults', () => {
    const local = dir();
    const { settings, mapping } = addMapping(DEFAULT_SETTINGS, { localPath: local, folder: 'fldcn1234' });
    expect(mapping).toEqual({ id: 'm1', localPath: local, folderToken: 'fldcn1234', deletePolicy: 'keep', ignore: [], paused: false });
    const second = addMapping(settings, { localPath: dir(), folder: 'fldcn5678', deletePolicy: 'trash', ignore: ['*.tmp'] });
    expect(second.mapping.id).toBe('m2');
    expect(second.settings.mappings).toHaveLength(2);
  });

  it('rejects a missing folder, a file, and an unreadable folder', () => {
    const base = dir();
    expect(() => addMapping(DEFAULT_SETTINGS, { localPath: join(base, 'nope'), folder: 'fldcn1234' })).toThrow(/does not exist/);
    writeFileSync(join(base, 'file.txt'), 'x');
    expect(() => addMapping(DEFAULT_SETTINGS, { localPath: join(base, 'file.txt'), folder: 'fldcn1234' })).toThrow(/is a file, not a folder/);
    if (process.getuid?.() !== 0) {
      const locked = join(base, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o000);
      expect(() => addMapping(DEFAULT_SETTINGS, { localPath: locked, folder: 'fldcn1234' })).toThrow(/not readable/);
      chmodSync(locked, 0o700);
    }
  });

  it('rejects a folder inside (or around) an existing mapping: a file must not sync twice', () => {
    const outer = dir();
    mkdirSync(join(outer, 'inner'));
    const { settings } = addMapping(DEFAULT_SETTINGS, { localPath: outer, folder: 'fldcn1234' });
    expect(() => addMapping(settings, { localPath: join(outer, 'inner'), folder: 'fldcn5678' })).toThrow(/overlaps mapping m1/);
  });

  it('changes and removes by id, and names the known ids when the id is wrong', () => {
    const { settings } = addMapping(DEFAULT_SETTINGS, { localPath: dir(), folder: 'fldcn1234' });
    expect(changeMapping(settings, 'm1', { deletePolicy: 'trash' }).mappings[0]!.deletePolicy).toBe('trash');
    expect(removeMapping(settings, 'm1').mappings).toEqual([]);
    expect(() => removeMapping(settings, 'm9')).toThrow(/no mapping with id "m9" \(known: m1\)/);
  });
});
