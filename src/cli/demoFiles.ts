/** The sample folder of `feisync demo`: small files, nested folders, a unicode name, and one file > 20 MB. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UPLOAD_ALL_MAX_BYTES, BLOCK_SIZE } from '../feishu/limits.js';

export interface DemoFile {
  relPath: string;
  size: number;
}

/** Bigger than upload_all allows, so the demo shows the chunked path (prepare, parts, finish). */
export const DEMO_BIG_FILE_SIZE = UPLOAD_ALL_MAX_BYTES + BLOCK_SIZE + 12_345;

export function createDemoFolder(root: string): DemoFile[] {
  const files: [string, Buffer | number][] = [
    ['README.txt', Buffer.from('Files in this folder are synced to Feishu Drive by FeiSync.\nEdit or add files and watch them upload.\n')],
    ['notes/todo.md', Buffer.from('# To do\n\n- [x] try feisync demo\n- [ ] map a real folder: feisync map add ~/Documents <folder-url>\n')],
    ['notes/2024/meeting.txt', Buffer.from('Quarterly meeting notes.\n'.repeat(200))],
    ['项目资料/季度报告 2024.txt', Buffer.from('飞书云空间同步示例：文件名包含中文和空格。\n'.repeat(50))],
    ['photos/beach.jpg', randomBytes(300_000)],
    ['video/big-recording.bin', DEMO_BIG_FILE_SIZE],
  ];
  for (const [rel, content] of files) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'number') writeRandomFile(path, content);
    else writeFileSync(path, content);
  }
  return files.map(([relPath, content]) => ({ relPath, size: typeof content === 'number' ? content : content.length }));
}

/** Written in 1 MB pieces: the demo never holds the big file in memory. */
function writeRandomFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(1024 * 1024, size - written);
      writeSync(fd, randomBytes(n));
      written += n;
    }
  } finally {
    closeSync(fd);
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
