/** 简体中文 (Simplified Chinese). Every key of en.ts must be here. */
import type { MessageKey } from './en.js';

export const zhCN: Record<MessageKey, string> = {
  'label.error': '错误',
  'label.warning': '警告',
  'label.code': '错误码 {code}',
  'label.logId': '日志 ID {logId}',
  'label.remedy': '解决办法',

  'account.missing': '没有账号：FeiSync 不知道要使用哪个飞书应用',
  'account.missingRemedy': '运行 `feisync login`，或传入 --app-id 和 --app-secret（或环境变量 FEISYNC_APP_ID / FEISYNC_APP_SECRET）。',
  'account.noSecret': '没有保存应用 {appId} 的密钥',
  'account.baseUrlRemedy': '使用 --base-url feishu、lark，或类似 https://open.feishu.cn 的地址。',

  'login.userUnavailable': '暂不支持以用户身份（OAuth）登录',
  'login.userRemedy': '请使用应用身份：`feisync login --app-id <id>` 并提供密钥，然后把云空间文件夹共享给该应用。',
  'login.promptAppId': 'App ID（cli_…）：',
  'login.promptSecret': 'App Secret（不回显）：',
  'login.missingAppId': '需要提供 App ID',
  'login.missingAppIdRemedy': '传入 --app-id <id>（或设置 FEISYNC_APP_ID）；可在开发者后台的“凭证与基础信息”中找到。',
  'login.missingSecret': '需要提供 App Secret',
  'login.missingSecretRemedy': '使用 --app-secret-stdin 通过管道传入密钥，或 --app-secret <secret>（或设置 FEISYNC_APP_SECRET）。',
  'login.verifying': '正在向 {baseUrl} 验证凭证…',
  'login.ok': '登录成功：应用 {appId}，服务器 {baseUrl}（云空间根目录 {root}）。',
  'login.storedKeychain': 'App Secret 已保存到系统钥匙串。',
  'login.storedFile': 'App Secret 已保存到 {path}（权限 0600）。',
  'logout.nothing': '尚未登录，无需移除。',
  'logout.done': '已退出登录：应用 {appId} 的密钥已移除。',

  'map.added': '已添加映射 {id}：{local} → {folder}',
  'map.none': '还没有映射。添加一个：feisync map add <本地目录> <文件夹链接>',
  'map.removed': '已移除映射 {id}（{local}）；没有改动任何文件。',
  'map.changed': '映射 {id}：删除策略 {policy}，额外忽略规则：{ignore}',
  'map.setNothing': '没有需要修改的内容',
  'map.setRemedy': '传入 --delete-policy keep|trash 和/或 --ignore <规则...>。',
  'map.policyRemedy': '使用 --delete-policy keep（本地删除不影响云端）或 trash（移到云空间回收站）。',

  'config.unknownKey': '没有名为 "{key}" 的设置',
  'config.set': '已设置 {key} = {value}',

  'pause.daemon': '已暂停正在运行的 FeiSync。',
  'pause.saved': '已暂停：当前没有运行的 FeiSync，下次启动时保持暂停。',
  'resume.daemon': '已恢复正在运行的 FeiSync。',
  'resume.saved': '已恢复：当前没有运行的 FeiSync，下次启动时正常同步。',

  'log.empty': '{dir} 中还没有日志。',
  'diag.written': '诊断信息已写入 {file}（已隐去密钥；分享前请检查）。',
};
