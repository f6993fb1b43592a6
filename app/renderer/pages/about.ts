/** About / Diagnostics, and the app-wide preferences (language, start at login, notifications, shell menu). */
import type { PreferencesInput } from '../../shared/bridgeApi.js';
import { busy, report, statusRegion, type PageContext, type PageView } from '../context.js';
import { field, h } from '../dom.js';

export function aboutPage(ctx: PageContext): PageView {
  const { t, api, info } = ctx;
  const outcome = statusRegion();

  const language = h('select', { id: 'language' }, h('option', { value: 'auto' }, t.languageAuto), h('option', { value: 'en' }, 'English'), h('option', { value: 'zh-CN' }, '简体中文'));
  language.value = ctx.settings.language;
  const save = async (input: PreferencesInput) => {
    const next = report(outcome, await api.savePreferences(input), t, t.saved);
    if (next) await ctx.setSettings(next);
  };
  language.addEventListener('change', () => void save({ language: language.value as PreferencesInput['language'] }));
  const check = (id: string, label: string, checked: boolean, key: 'startAtLogin' | 'notifications' | 'shellIntegration') => {
    const box = h('input', { id, attrs: { type: 'checkbox' }, checked });
    box.addEventListener('change', () => void save({ [key]: box.checked }));
    return h('div', { class: 'check' }, box, h('label', { attrs: { for: id } }, label));
  };

  const openLogs = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.openLogs);
  openLogs.addEventListener('click', async () => void report(outcome, await api.openLogFolder(), t));
  const exportButton = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.exportDiagnostics);
  exportButton.addEventListener('click', () =>
    busy(exportButton, async () => {
      const path = report(outcome, await api.exportDiagnostics(), t);
      if (path) outcome.textContent = t.diagnosticsSaved(path);
    }),
  );

  const row = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
  return {
    element: h(
      'section',
      {},
      h('h1', {}, t.pages.about),
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'prefs-title' } },
        h('h2', { id: 'prefs-title' }, t.preferences),
        field(t.language, language),
        check('start-at-login', t.startAtLogin, ctx.settings.startAtLogin, 'startAtLogin'),
        check('notifications', t.notifications, ctx.settings.notifications, 'notifications'),
        check('shell-integration', t.shellIntegration, ctx.settings.shellIntegration, 'shellIntegration'),
      ),
      h(
        'section',
        { class: 'card', attrs: { 'aria-labelledby': 'about-title' } },
        h('h2', { id: 'about-title' }, `FeiSync ${info.version}`),
        h(
          'dl',
          {},
          ...row(t.version, info.version),
          ...row(t.components, `Electron ${info.electron} · Chromium ${info.chrome} · Node ${info.node} · ${info.platform}`),
          ...row(t.logFolder, info.logDir),
        ),
        h('div', { class: 'actions' }, openLogs, exportButton),
      ),
      outcome,
    ),
  };
}
