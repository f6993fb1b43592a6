/** What every page gets: the bridge, the strings, the current data, and helpers to report outcomes. */
import type { AppInfo, BridgeResult, FeiSyncBridge, SettingsView } from '../shared/bridgeApi.js';
import type { EngineState } from '../../src/sync/engineApi.js';
import { h, replaceChildren } from './dom.js';
import type { Locale, Messages } from './messages.js';

export type PageId = 'account' | 'folders' | 'limits' | 'activity' | 'about';

export interface PageContext {
  api: FeiSyncBridge;
  t: Messages;
  locale: Locale;
  info: AppInfo;
  settings: SettingsView;
  state: EngineState;
  /** Store new settings (after a save) and re-render the chrome if the language changed. */
  setSettings(settings: SettingsView): Promise<void>;
}

export interface PageView {
  element: HTMLElement;
  /** Called with each new engine state while the page is shown (update in place; keep what the user typed). */
  update?(state: EngineState): void;
}

/** A live region for the outcome of an action. */
export function statusRegion(): HTMLElement {
  return h('div', { class: 'outcome', attrs: { role: 'status', 'aria-live': 'polite' } });
}

/** Show a result: the error's message and remedy, or a success text. Returns the value when ok. */
export function report<T>(region: HTMLElement, result: BridgeResult<T>, t: Messages, success?: string): T | undefined {
  if (result.ok) {
    region.className = 'outcome ok';
    replaceChildren(region, success ?? '');
    return result.value;
  }
  region.className = 'outcome error';
  region.setAttribute('role', 'alert');
  replaceChildren(
    region,
    h('strong', {}, `${t.errorPrefix}: `),
    result.error.message,
    result.error.remedy ? h('span', { class: 'remedy' }, ` ${t.remedy}${result.error.remedy}`) : null,
    h('span', { class: 'code' }, ` (${result.error.code})`),
  );
  return undefined;
}

/** Run an action with its button disabled meanwhile. */
export async function busy<T>(button: HTMLButtonElement, work: () => Promise<T>, label?: string): Promise<T> {
  const text = button.textContent;
  button.disabled = true;
  if (label) button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = text;
  }
}
