/** Which language FeiSync speaks: `--lang`, then the setting, then LC_ALL / LC_MESSAGES / LANG. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: string): value is Lang {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** Map a locale string (zh_CN.UTF-8, zh-Hans, en_US, C) to a supported language. */
export function langFromLocale(locale: string | undefined): Lang | undefined {
  if (!locale) return undefined;
  const l = locale.toLowerCase();
  if (l === 'c' || l === 'posix') return 'en';
  if (l.startsWith('zh')) return 'zh-CN';
  if (/^[a-z]{2}/.test(l)) return 'en';
  return undefined;
}

export function resolveLanguage(options: {
  flag?: string;
  setting?: 'auto' | Lang;
  env?: Record<string, string | undefined>;
}): Lang {
  if (options.flag) {
    if (isLang(options.flag)) return options.flag;
    throw new Error(`unknown language "${options.flag}": use ${LANGUAGES.join(' or ')}`);
  }
  if (options.setting && options.setting !== 'auto') return options.setting;
  const env = options.env ?? process.env;
  // POSIX precedence: LC_ALL overrides LC_MESSAGES overrides LANG.
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const found = langFromLocale(env[name]);
    if (found) return found;
  }
  return 'en';
}
