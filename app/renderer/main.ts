/** The settings window: loads data through `window.feisync`, draws the tabs and the chosen page. */
import type { FeiSyncBridge } from '../shared/bridgeApi.js';
import type { EngineState } from '../../src/sync/engineApi.js';
import type { PageContext, PageId, PageView } from './context.js';
import { h, replaceChildren } from './dom.js';
import { messages, type Locale } from './messages.js';
import { accountPage } from './pages/account.js';
import { foldersPage } from './pages/folders.js';
import { limitsPage } from './pages/limits.js';
import { activityPage } from './pages/activity.js';
import { aboutPage } from './pages/about.js';
import { selectTab, tablist } from './tabs.js';

declare global {
  interface Window {
    feisync?: FeiSyncBridge;
  }
}

const PAGES: Record<PageId, (ctx: PageContext) => PageView> = {
  account: accountPage,
  folders: foldersPage,
  limits: limitsPage,
  activity: activityPage,
  about: aboutPage,
};
const ORDER: PageId[] = ['account', 'folders', 'limits', 'activity', 'about'];

async function start(root: HTMLElement): Promise<void> {
  const api = window.feisync;
  if (!api) {
    const locale: Locale = navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
    replaceChildren(root, h('p', { class: 'outcome error', attrs: { role: 'alert' } }, messages(locale).noBridge));
    return;
  }
  const [info, settings, state] = await Promise.all([api.getInfo(), api.getSettings(), api.getState()]);
  if (!info.ok || !settings.ok || !state.ok) {
    const failed = [info, settings, state].find((r) => !r.ok);
    replaceChildren(root, h('p', { class: 'outcome error', attrs: { role: 'alert' } }, failed && !failed.ok ? `${failed.error.message} ${failed.error.remedy}` : ''));
    return;
  }

  const initial = (location.hash.slice(1) as PageId) || (settings.value.account ? 'folders' : 'account');
  let current: PageId = ORDER.includes(initial) ? initial : 'account';
  let view: PageView | undefined;
  const ctx: PageContext = {
    api,
    info: info.value,
    locale: info.value.locale,
    t: messages(info.value.locale),
    settings: settings.value,
    state: state.value,
    async setSettings(next) {
      ctx.settings = next;
      const fresh = await api.getInfo();
      if (fresh.ok && fresh.value.locale !== ctx.locale) {
        ctx.info = fresh.value;
        ctx.locale = fresh.value.locale;
        ctx.t = messages(ctx.locale);
        layout();
      }
    },
  };

  const panel = h('main', { id: 'panel', class: 'panel', attrs: { role: 'tabpanel', tabindex: 0 } });
  let tabs: HTMLElement;
  const show = (id: PageId) => {
    current = id;
    history.replaceState(null, '', `#${id}`);
    selectTab(tabs, id);
    panel.setAttribute('aria-labelledby', `tab-${id}`);
    view = PAGES[id](ctx);
    replaceChildren(panel, view.element);
  };
  const layout = () => {
    document.documentElement.lang = ctx.locale;
    document.title = ctx.t.title;
    tabs = tablist(ctx.t.nav, ORDER.map((id) => ({ id, label: ctx.t.pages[id] })), current, show);
    replaceChildren(root, h('nav', { class: 'sidebar' }, h('div', { class: 'brand', attrs: { 'aria-hidden': 'true' } }, 'FeiSync'), tabs), panel);
    show(current);
  };
  layout();

  let pending = false;
  api.onEvent(() => {
    // Events come in bursts (progress); fetch the state once per frame at most.
    if (pending) return;
    pending = true;
    requestAnimationFrame(async () => {
      pending = false;
      const next = await api.getState();
      if (!next.ok) return;
      ctx.state = next.value as EngineState;
      view?.update?.(ctx.state);
    });
  });
}

const root = document.getElementById('app');
if (root) void start(root);
