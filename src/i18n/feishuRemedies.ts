/**
 * The remedies of Feishu's error table (src/feishu/errorCodes.ts) in Simplified
 * Chinese, keyed by Feishu code. The table itself stays English (it is also the
 * log's language); what a user reads goes through localizeRemedy. A test
 * checks that every code of the table has its line here.
 */
import { GENERIC_REMEDIES } from '../feishu/errorCodes.js';

export const ZH_FEISHU_REMEDIES: Readonly<Record<number, string>> = {
  1061001: '飞书内部错误；FeiSync 会自动重试。',
  1061002: '请求被判为格式错误（例如大小为 0），已跳过该文件。',
  1061003: '云端文件或文件夹已不存在；FeiSync 会重新定位目标。',
  1061004: '应用对该飞书文件夹没有编辑权限：请把文件夹以“可编辑”权限共享给应用（或用户）。',
  1061005: '认证失败：请用 `feisync login` 检查 App ID 和 App Secret。',
  1061006: '飞书内部超时；FeiSync 会自动重试。',
  1061007: '云端文件已被删除；FeiSync 会把它作为新文件上传。',
  1061008: '文件名为空或超过 250 个字符：请重命名该文件。',
  1061021: '分片上传已过期；FeiSync 会重新开始上传。',
  1061022: '云端文件在此期间被修改；FeiSync 会重新上传。',
  1061041: '云端文件夹已被删除；FeiSync 会重新创建它。',
  1061042: '云端文件夹中的条目过多：请拆分本地文件夹。',
  1061043: '文件超过了账号允许的大小。',
  1061044: '云端文件夹不存在；FeiSync 会重新创建它（或重新映射该文件夹）。',
  1061045: '飞书要求重试；FeiSync 会自动重试。',
  1061061: '飞书用户的存储空间已满：请在云空间中释放空间。',
  1061073: '应用缺少云空间权限：请在开发者后台开通 drive:drive（或 drive:file）并发布应用。',
  1061101: '租户存储空间已满：请联系飞书管理员扩容。',
  1061109: '文件名未通过合规检查：请重命名该文件。',
  1061113: '文件内容未通过合规检查。',
  1061500: '该飞书文件夹（挂载点）已不存在：请重新映射该文件夹。',
  1062007: '该上传由另一个身份发起；FeiSync 会重新开始上传。',
  1062008: '有分片在传输中损坏；FeiSync 会重新读取并重发。',
  1062009: '文件在上传过程中被修改；FeiSync 会重新读取。',
  1062010: '有分片未送达；FeiSync 会重新发送。',
  1062011: '分片数量不符；FeiSync 会重新开始上传。',
  1062014: '飞书拒绝了去重上传。',
  1062051: '上传过程中连接断开；FeiSync 会重试。',
  1062505: '云空间已有 400,000 个条目：请清理。',
  1062506: '飞书中的文件夹最多嵌套 15 层：请减少本地目录的层级。',
  1062507: '一个飞书文件夹最多容纳 1,500 个条目：请拆分本地文件夹。',
  1064230: '该空间正在进行数据迁移；FeiSync 稍后会重试。',
  99991400: '请求过于频繁；FeiSync 会放慢速度。',
  99991661: '请求未带访问令牌；FeiSync 会获取一个。',
  99991663: '访问令牌已过期或无效；FeiSync 会获取新的令牌。',
  99991664: '应用令牌无效：请用 `feisync login` 检查 App ID 和 App Secret。',
  99991668: '用户登录已过期：请重新运行 `feisync login`。',
  10014: 'App Secret 错误：请在开发者后台核对后运行 `feisync login`。',
  10003: 'App ID 不存在：请在开发者后台核对后运行 `feisync login`。',
  20026: '飞书用户登录已失效：请重新运行 `feisync login`。',
  20037: '飞书用户登录已过期：请重新运行 `feisync login`。',
  20064: '飞书用户登录已被撤销：请重新运行 `feisync login`。',
  20073: '飞书用户登录已在别处刷新：请重新运行 `feisync login`。',
  20007: '登录授权码无效、已过期（5 分钟）或已被使用：请重新运行 `feisync login --user`。',
};

const ZH_TRANSIENT = '网络或服务器错误；FeiSync 会自动重试。';
const ZH_MALFORMED = '飞书返回了无法解析的应答；FeiSync 会重试。';

/**
 * The Chinese remedy of a Feishu error `code`: its line of the table, or the
 * line for the generic remedy errorInfo gave a code it does not list.
 */
export function zhFeishuRemedy(code: number, remedy: string): string {
  const known = ZH_FEISHU_REMEDIES[code];
  if (known) return known;
  if (remedy === GENERIC_REMEDIES.transient) return ZH_TRANSIENT;
  if (remedy === GENERIC_REMEDIES.malformed) return ZH_MALFORMED;
  return `飞书错误 ${code}：联系支持时请提供消息中的日志 ID。`;
}
