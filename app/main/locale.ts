/** Which language the app speaks: the user's choice, else the OS locale (Chinese → zh-CN, anything else → en). */
export type AppLocale = 'en' | 'zh-CN';

export function resolveLocale(setting: 'auto' | AppLocale, osLocale: string): AppLocale {
  if (setting !== 'auto') return setting;
  return osLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** "HH:MM" (24 h) of an instant, in the user's zone (injected so tests do not depend on the machine). */
export function clockTime(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(epochMs);
}
