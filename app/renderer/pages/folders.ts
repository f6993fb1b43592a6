/** Folders: the synced folders (status, policy, ignore rules, pause, remove) and the form to add one. */
import type { MappingSettings } from '../../../src/config/settings.js';
import type { EngineState, MappingState } from '../../../src/sync/engineApi.js';
import type { SettingsView } from '../../shared/bridgeApi.js';
import { busy, report, statusRegion, type PageContext, type PageView } from '../context.js';
import { field, h, nextId, replaceChildren } from '../dom.js';
import { remoteBrowser } from './remoteBrowser.js';

export function foldersPage(ctx: PageContext): PageView {
  const { t } = ctx;
  const list = h('ul', { class: 'mappings', attrs: { 'aria-label': t.pages.folders } });
  const listOutcome = statusRegion();

  const draw = () => {
    const mappings = ctx.settings.mappings;
    if (mappings.length === 0) replaceChildren(list, h('li', { class: 'empty' }, t.noFolders));
    else replaceChildren(list, ...mappings.map((m) => mappingCard(ctx, m, stateOf(ctx.state, m.id), listOutcome, afterChange)));
  };
  const afterChange = async (next: SettingsView) => {
    await ctx.setSettings(next);
    draw();
  };
  draw();

  return {
    element: h('section', {}, h('h1', {}, t.pages.folders), h('p', { class: 'intro' }, t.foldersIntro), list, listOutcome, addForm(ctx, afterChange)),
    update(state) {
      for (const m of ctx.settings.mappings) {
        const badge = list.querySelector<HTMLElement>(`[data-status-for="${m.id}"]`);
        if (badge) replaceChildren(badge, ...statusParts(ctx, stateOf(state, m.id)));
      }
    },
  };
}

function stateOf(state: EngineState, id: string): MappingState | undefined {
  return state.mappings.find((m) => m.id === id);
}

function statusParts(ctx: PageContext, s: MappingState | undefined): (HTMLElement | string)[] {
  if (!s) return [];
  const { t } = ctx;
  return [
    h('span', { class: `badge status-${s.status}` }, t.status[s.status] ?? s.status),
    ' ',
    h('span', { class: 'counts' }, t.counts(s.pending + s.uploading, s.failed, s.synced)),
    s.status === 'stopped' && s.error ? h('p', { class: 'outcome error' }, `${s.error.message} ${t.remedy}${s.error.remedy}`) : '',
  ];
}

function mappingCard(
  ctx: PageContext,
  m: MappingSettings,
  state: MappingState | undefined,
  outcome: HTMLElement,
  afterChange: (next: SettingsView) => Promise<void>,
): HTMLElement {
  const { t, api } = ctx;
  const titleId = nextId('mapping');
  const policy = policySelect(t, m.deletePolicy);
  const ignore = h('textarea', { attrs: { rows: 3, spellcheck: 'false' }, value: m.ignore.join('\n') });
  const save = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.saveChanges);
  save.addEventListener('click', () =>
    busy(save, async () => {
      const next = report(outcome, await api.updateMapping(m.id, { deletePolicy: policy.value as 'keep' | 'trash', ignore: lines(ignore.value) }), t, t.saved);
      if (next) await afterChange(next);
    }),
  );
  const pause = h('button', { class: 'secondary', attrs: { type: 'button', 'aria-pressed': String(m.paused) } }, m.paused ? t.resume : t.pause);
  pause.addEventListener('click', () =>
    busy(pause, async () => {
      const next = report(outcome, await api.updateMapping(m.id, { paused: !m.paused }), t);
      if (next) await afterChange(next);
    }),
  );
  const sync = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.syncNow);
  sync.addEventListener('click', () => busy(sync, async () => void report(outcome, await api.syncNow(m.id), t)));
  const verify = h('button', { class: 'secondary', attrs: { type: 'button', title: t.verifyRemoteHint } }, t.verifyRemote);
  verify.addEventListener('click', () =>
    busy(verify, async () => {
      const result = await api.verifyRemote(m.id);
      report(outcome, result, t, result.ok ? t.verified(result.value) : undefined);
    }, t.verifying),
  );
  const retry = state && state.failed > 0 ? h('button', { class: 'secondary', attrs: { type: 'button' } }, t.retry) : null;
  retry?.addEventListener('click', () => busy(retry, async () => void report(outcome, await api.retryFailed(m.id), t, t.retrying)));
  const openLocal = h('button', { class: 'link', attrs: { type: 'button' } }, t.openLocal);
  openLocal.addEventListener('click', async () => void report(outcome, await api.openLocal(m.localPath), t));
  const openRemote = m.folderUrl ? h('button', { class: 'link', attrs: { type: 'button' } }, t.openFeishu) : null;
  openRemote?.addEventListener('click', async () => void report(outcome, await api.openUrl(m.folderUrl!), t));

  // Removing needs a second click: a mis-click must not drop a folder.
  const remove = h('button', { class: 'danger', attrs: { type: 'button' } }, t.remove);
  let armed = false;
  remove.addEventListener('click', () => {
    if (!armed) {
      armed = true;
      remove.textContent = t.confirmRemove;
      return;
    }
    void busy(remove, async () => {
      const next = report(outcome, await api.removeMapping(m.id), t, t.removed);
      if (next) await afterChange(next);
    });
  });
  remove.addEventListener('blur', () => {
    armed = false;
    remove.textContent = t.remove;
  });

  return h(
    'li',
    { class: 'card mapping', attrs: { 'aria-labelledby': titleId, 'data-mapping': m.id } },
    h('h2', { id: titleId, class: 'path' }, m.localPath),
    h('p', { class: 'remote' }, `${t.feishuFolder}: `, h('code', {}, m.folderToken), ' ', openLocal, openRemote),
    h('div', { class: 'status', attrs: { 'data-status-for': m.id } }, ...statusParts(ctx, state)),
    h(
      'details',
      {},
      h('summary', {}, `${t.deletePolicy} · ${t.ignoreRules}`),
      field(t.deletePolicy, policy),
      field(t.ignoreRules, ignore, t.ignoreHint),
      h('div', { class: 'actions' }, save),
    ),
    h('div', { class: 'actions' }, sync, verify, retry, pause, remove),
  );
}

function addForm(ctx: PageContext, afterChange: (next: SettingsView) => Promise<void>): HTMLElement {
  const { t, api } = ctx;
  const local = h('input', { id: 'new-local', attrs: { spellcheck: 'false', autocomplete: 'off', placeholder: ctx.info.platform === 'win32' ? 'C:\\Users\\…' : '/home/…' } });
  const pick = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.browse);
  pick.addEventListener('click', async () => {
    const chosen = await api.pickFolder();
    if (chosen.ok && chosen.value) local.value = chosen.value;
  });
  const remote = h('input', { id: 'new-remote', attrs: { spellcheck: 'false', autocomplete: 'off', placeholder: 'https://…/drive/folder/…' } });
  const browser = h('div', { class: 'remote-browser' });
  browser.hidden = true;
  const browse = h('button', { class: 'secondary', attrs: { type: 'button', 'aria-expanded': 'false' } }, t.browseFeishu);
  browse.addEventListener('click', () => {
    browser.hidden = !browser.hidden;
    browse.setAttribute('aria-expanded', String(!browser.hidden));
    if (!browser.hidden) {
      replaceChildren(
        browser,
        remoteBrowser(ctx, (folder) => {
          remote.value = folder.url ?? folder.token;
          browser.hidden = true;
          browse.setAttribute('aria-expanded', 'false');
          remote.focus();
        }),
      );
    }
  });
  const policy = policySelect(t, 'keep');
  const ignore = h('textarea', { attrs: { rows: 3, spellcheck: 'false', placeholder: '*.tmp\nnode_modules/' } });
  const outcome = statusRegion();

  const form = h(
    'form',
    { class: 'card add', attrs: { novalidate: true, 'aria-labelledby': 'add-title' } },
    h('h2', { id: 'add-title' }, t.addFolder),
    h('div', { class: 'row' }, field(t.localFolder, local), pick),
    h('div', { class: 'row' }, field(t.feishuFolder, remote, t.feishuFolderHint), browse),
    browser,
    field(t.deletePolicy, policy),
    field(t.ignoreRules, ignore, t.ignoreHint),
    h('div', { class: 'actions' }, h('button', { class: 'primary', attrs: { type: 'submit' } }, t.addFolder)),
    outcome,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(form.querySelector<HTMLButtonElement>('button[type=submit]')!, async () => {
      const result = await api.addMapping({ localPath: local.value.trim(), remote: remote.value.trim(), deletePolicy: policy.value as 'keep' | 'trash', ignore: lines(ignore.value) });
      const next = report(outcome, result, t, t.added);
      if (next) {
        local.value = remote.value = ignore.value = '';
        await afterChange(next);
      }
    });
  });
  return form;
}

function policySelect(t: PageContext['t'], value: 'keep' | 'trash'): HTMLSelectElement {
  const select = h('select', {}, h('option', { value: 'keep' }, t.deleteKeep), h('option', { value: 'trash' }, t.deleteTrash));
  select.value = value;
  return select;
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}
