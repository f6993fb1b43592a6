/** Browse Feishu folders through the list API (one level at a time) and pick one. */
import type { RemoteFolder } from '../../shared/bridgeApi.js';
import { report, statusRegion, type PageContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';

export function remoteBrowser(ctx: PageContext, onChoose: (folder: RemoteFolder) => void): HTMLElement {
  const { t, api } = ctx;
  const trail: RemoteFolder[] = [];
  const crumbs = h('p', { class: 'crumbs' });
  const list = h('ul', { class: 'remote-list', attrs: { role: 'list' } });
  const outcome = statusRegion();
  const up = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.remoteUp);
  const choose = h('button', { class: 'primary', attrs: { type: 'button' } }, t.remoteChoose);

  const load = async () => {
    const here = trail.at(-1);
    up.disabled = !here;
    choose.disabled = !here;
    replaceChildren(crumbs, [t.remoteRoot, ...trail.map((f) => f.name)].join(' / '));
    replaceChildren(list, h('li', { class: 'empty' }, t.remoteLoading));
    const folders = report(outcome, await api.listRemoteFolders(here ? here.token : null), t);
    if (!folders) return replaceChildren(list);
    if (folders.length === 0) return replaceChildren(list, h('li', { class: 'empty' }, t.remoteEmpty));
    replaceChildren(
      list,
      ...folders.map((f) => {
        const open = h('button', { class: 'folder', attrs: { type: 'button' } }, `📁 ${f.name}`);
        open.addEventListener('click', () => {
          trail.push(f);
          void load();
        });
        return h('li', {}, open);
      }),
    );
  };
  up.addEventListener('click', () => {
    trail.pop();
    void load();
  });
  choose.addEventListener('click', () => {
    const here = trail.at(-1);
    if (here) onChoose(here);
  });
  void load();
  return h('div', { class: 'card inset' }, crumbs, list, outcome, h('div', { class: 'actions' }, up, choose));
}
