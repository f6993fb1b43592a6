/**
 * The remedies of FeiSync's own error codes (the E_… records of the scan,
 * index, sync and scheduler layers, and E_INTERNAL) in Simplified Chinese,
 * keyed by code. The records stay English (it is also the log's language);
 * what a user reads goes through localizeRemedy. A test checks that every code
 * of the records has its line here, and no other.
 */
import { INDEX_ERROR_REMEDIES } from '../index/indexError.js';
import { SCAN_ERROR_REMEDIES } from '../scan/scanError.js';
import { SCHEDULER_ERROR_REMEDIES } from '../sync/scheduler/schedulerError.js';
import { INTERNAL_ERROR_REMEDY, SYNC_ERROR_REMEDIES } from '../sync/syncError.js';

export const ZH_CORE_REMEDIES: Readonly<Record<string, string>> = {
  // src/scan/scanError.ts
  E_SCAN_ROOT_MISSING: '请重新连接磁盘，或修正该映射的本地文件夹；本次没有安排任何同步操作。',
  E_SCAN_ROOT_NOT_FOLDER: '请让该映射指向一个文件夹，而不是文件。',
  E_SCAN_ROOT_UNREADABLE: '请授予 FeiSync 读取该文件夹的权限（文件权限，或 macOS 的“完全磁盘访问权限”）。',
  E_SCAN_IGNORE_FILE_UNREADABLE: '请让该映射的 .feisyncignore 可读（或删除它）；本次没有扫描任何文件。',
  // src/index/indexError.ts
  E_INDEX_NEWER: '请把 FeiSync 更新到最新版本，或把 FEISYNC_STATE_DIR 指向一个新的文件夹。',
  E_INDEX_FOREIGN: '请移走该文件，或把 FEISYNC_STATE_DIR 设为其他文件夹；FeiSync 不会覆盖它。',
  E_INDEX_OPEN: '请确认状态目录存在且可写，并且没有其他 FeiSync 进程正在占用它。',
  E_INDEX_MIGRATION: '请附上日志报告这个缺陷；索引保持原样，旧版 FeiSync 仍可使用它。',
  E_INDEX_NO_UPLOAD: '请重新开始分片上传（upload_prepare）；如果反复出现，这是一个缺陷。',
  E_INDEX_RECORD: '这是调用方的缺陷：请先修正该记录再写入。',
  E_INDEX_CORRUPT: '请退出 FeiSync，把状态文件夹中的 index.db 移到别处；下次启动时会根据扫描和飞书中的文件列表重建索引，不会重新上传文件。',
  // src/sync/syncError.ts
  E_SOURCE_CHANGED: '文件在上传过程中被修改；等它不再变化后，FeiSync 会上传新内容。',
  E_LOCAL_MISSING: '文件在上传前已被删除或重命名；无需处理。',
  E_LOCAL_UNREADABLE: 'FeiSync 无法读取该文件：请检查它的权限。',
  E_NOT_SETTLED: '文件仍在写入中；等它不再变化后，FeiSync 会上传它。',
  E_UPLOAD_GAVE_UP: '上传多次失败；FeiSync 稍后会重试（见 `feisync status`）。',
  E_ABORTED: '同步已暂停或停止；之后会从中断处继续。',
  E_UNKNOWN_MAPPING: '没有这个文件夹映射：请用 `feisync status` 列出所有映射。',
  E_BAD_INPUT: '请检查路径：它必须是已存在的文件或文件夹。',
  E_REMOTE_TASK: '飞书未能完成文件夹的移动或删除；FeiSync 会在下次同步时重试。',
  E_INTERNAL: '发生了意外故障：请附上日志报告此问题。',
  // src/sync/scheduler/schedulerError.ts
  E_QUOTA: '每日 API 配额重置后，FeiSync 会自动继续。',
  E_CANCELLED: '它会在下次同步时重新排队。',
  E_DEPENDENCY: '请先解决它所等待的任务（通常是所在文件夹）的失败；下次同步时会重试。',
  E_SCHEDULER_CONFIG: '请修正限额设置中的这个值（见 `feisync config`）。',
  E_BAD_COST: '这是 FeiSync 的缺陷：请附上日志报告。',
};

/** The English lines ZH_CORE_REMEDIES translates, by code. */
const EN_CORE_REMEDIES: Readonly<Record<string, string>> = {
  ...SCAN_ERROR_REMEDIES,
  ...INDEX_ERROR_REMEDIES,
  ...SYNC_ERROR_REMEDIES,
  ...SCHEDULER_ERROR_REMEDIES,
  E_INTERNAL: INTERNAL_ERROR_REMEDY,
};

/**
 * The Chinese line of a FeiSync code, but only for the English line it
 * translates. A code also comes with remedies written for one case — E_QUOTA
 * with its reset time, or saying that waiting will not help — and those stay
 * as given rather than become a line that says something else.
 */
export function zhCoreRemedy(code: string, remedy: string): string | undefined {
  return Object.hasOwn(EN_CORE_REMEDIES, code) && EN_CORE_REMEDIES[code] === remedy ? ZH_CORE_REMEDIES[code] : undefined;
}
