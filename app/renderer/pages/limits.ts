/** Limits: bandwidth, quota reserve, concurrency; and today's API calls per endpoint. */
import type { EngineState } from '../../../src/sync/engineApi.js';
import { busy, report, statusRegion, type PageContext, type PageView } from '../context.js';
import { field, h, replaceChildren } from '../dom.js';
import { formatClock, formatNumber } from '../format.js';

export function limitsPage(ctx: PageContext): PageView {
  const { t, api } = ctx;
  const limits = ctx.settings.limits;
  const number = (id: string, value: number, min: number, max?: number, step = 1) =>
    h('input', { id, attrs: { type: 'number', min, max, step, inputmode: 'numeric', required: true }, value: String(value) });

  const bandwidth = number('bandwidth', Math.round(limits.bandwidthBytesPerSec / 1024), 0);
  const reserve = number('reserve', Math.round(limits.quotaReserve * 100), 0, 50);
  const files = number('file-concurrency', limits.fileConcurrency, 1, 32);
  const blocks = number('block-concurrency', limits.blockConcurrency, 1, 16);
  const outcome = statusRegion();

  const form = h(
    'form',
    { class: 'card', attrs: { novalidate: true } },
    field(t.bandwidth, bandwidth, t.bandwidthHint),
    field(t.quotaReserve, reserve, t.quotaReserveHint),
    field(t.fileConcurrency, files),
    field(t.blockConcurrency, blocks),
    h('div', { class: 'actions' }, h('button', { class: 'primary', attrs: { type: 'submit' } }, t.save)),
    outcome,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form.querySelector('button')!, async () => {
      const saved = report(
        outcome,
        await api.saveLimits({
          bandwidthBytesPerSec: Math.round(Number(bandwidth.value) * 1024),
          quotaReserve: Number(reserve.value) / 100,
          fileConcurrency: Number(files.value),
          blockConcurrency: Number(blocks.value),
        }),
        t,
        t.saved,
      );
      if (saved) await ctx.setSettings(saved);
    });
  });

  const quota = h('section', { class: 'card', attrs: { 'aria-labelledby': 'quota-title' } });
  const drawQuota = (state: EngineState) => {
    const at = formatClock(state.quota.resetsAt, ctx.locale);
    const used = state.quota.endpoints.filter((e) => e.used > 0);
    replaceChildren(
      quota,
      h('h2', { id: 'quota-title' }, t.quotaToday),
      state.quota.exhausted ? h('p', { class: 'outcome error' }, t.quotaExhausted(at)) : null,
      used.length
        ? h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' } }, t.endpoint), h('th', { class: 'num', attrs: { scope: 'col' } }, t.used), h('th', { class: 'num', attrs: { scope: 'col' } }, t.left))),
            h(
              'tbody',
              {},
              ...used.map((e) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('code', {}, e.endpoint)),
                  h('td', { class: 'num' }, formatNumber(e.used, ctx.locale)),
                  h('td', { class: 'num' }, h('meter', { attrs: { min: 0, max: e.limit, value: e.left, low: e.limit * 0.1, 'aria-label': `${e.endpoint} ${t.left}` } }), ' ', formatNumber(e.left, ctx.locale)),
                ),
              ),
            ),
          )
        : h('p', { class: 'empty' }, t.noCalls),
      h('p', { class: 'hint' }, t.resetsAt(at)),
    );
  };
  drawQuota(ctx.state);

  return {
    element: h('section', {}, h('h1', {}, t.pages.limits), h('p', { class: 'intro' }, t.limitsIntro), form, quota),
    update: drawQuota,
  };
}
