/** Activity: recent uploads (open in Feishu) and problems (reason, remedy, Retry). */
import type { EngineState } from '../../../src/sync/engineApi.js';
import { busy, report, statusRegion, type PageContext, type PageView } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { formatTime } from '../format.js';

export function activityPage(ctx: PageContext): PageView {
  const { t, api } = ctx;
  const recent = h('section', { class: 'card', attrs: { 'aria-labelledby': 'recent-title' } });
  const problems = h('section', { class: 'card', attrs: { 'aria-labelledby': 'problems-title' } });
  const outcome = statusRegion();

  const retryButton = (mappingId: string | null, label: string) => {
    const button = h('button', { class: 'secondary', attrs: { type: 'button' } }, label);
    button.addEventListener('click', () => busy(button, async () => void report(outcome, await api.retryFailed(mappingId), t, t.retrying)));
    return button;
  };

  const draw = (state: EngineState) => {
    const rows = state.recent.slice(0, 50);
    replaceChildren(
      recent,
      h('h2', { id: 'recent-title' }, t.recent),
      rows.length === 0
        ? h('p', { class: 'empty' }, t.noRecent)
        : h(
            'table',
            {},
            h('thead', {}, h('tr', {}, ...[t.when, t.file, t.what, ''].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
            h(
              'tbody',
              {},
              ...rows.map((r) => {
                const open = r.url ? h('button', { class: 'link', attrs: { type: 'button', 'aria-label': `${t.open} ${r.relPath}` } }, t.open) : null;
                open?.addEventListener('click', async () => void report(outcome, await api.openUrl(r.url!), t));
                return h(
                  'tr',
                  { class: r.kind === 'failed' ? 'failed' : undefined },
                  h('td', { class: 'nowrap' }, formatTime(r.at, ctx.locale)),
                  h('td', { class: 'file' }, r.relPath, r.detail ? h('div', { class: 'hint' }, r.detail) : null),
                  h('td', {}, t.kinds[r.kind] ?? r.kind),
                  h('td', {}, open),
                );
              }),
            ),
          ),
    );

    const failing = state.mappings.filter((m) => m.failed > 0 || m.status === 'stopped');
    const items = [
      ...failing.map((m) =>
        h(
          'li',
          { class: 'problem' },
          h('strong', {}, t.failedFiles(m.localPath, m.failed)),
          m.error ? h('p', {}, m.error.message, h('br'), h('span', { class: 'remedy' }, `${t.remedy}${m.error.remedy}`)) : null,
          m.failed > 0 ? retryButton(m.id, t.retry) : null,
        ),
      ),
      ...state.lastErrors.slice(0, 20).map((e) =>
        h(
          'li',
          { class: 'problem' },
          h('strong', {}, e.relPath ?? String(e.code)),
          ' ',
          h('span', { class: 'nowrap hint' }, formatTime(e.at, ctx.locale)),
          h('p', {}, e.message, h('br'), h('span', { class: 'remedy' }, `${t.remedy}${e.remedy}`), e.logId ? h('span', { class: 'code' }, ` log id ${e.logId}`) : null),
        ),
      ),
    ];
    replaceChildren(
      problems,
      h('h2', { id: 'problems-title' }, t.failures),
      items.length ? h('ul', { class: 'problems' }, ...items) : h('p', { class: 'empty' }, t.noFailures),
      failing.some((m) => m.failed > 0) ? h('div', { class: 'actions' }, retryButton(null, t.retryAll)) : null,
    );
  };
  draw(ctx.state);
  return { element: h('section', {}, h('h1', {}, t.pages.activity), problems, recent, outcome), update: draw };
}
