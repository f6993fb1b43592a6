/**
 * The page switcher, following the WAI-ARIA tabs pattern: a vertical
 * tablist, roving tabindex, arrow keys / Home / End move and activate.
 */
import { h } from './dom.js';

export interface TabSpec<Id extends string> {
  id: Id;
  label: string;
}

export function tablist<Id extends string>(label: string, tabs: TabSpec<Id>[], selected: Id, onSelect: (id: Id) => void): HTMLElement {
  const buttons = tabs.map((tab) =>
    h(
      'button',
      {
        id: `tab-${tab.id}`,
        class: 'tab',
        attrs: { role: 'tab', type: 'button', 'aria-selected': String(tab.id === selected), 'aria-controls': 'panel', tabindex: tab.id === selected ? 0 : -1 },
        on: { click: () => onSelect(tab.id) },
      },
      tab.label,
    ),
  );
  const list = h('div', { class: 'tablist', attrs: { role: 'tablist', 'aria-label': label, 'aria-orientation': 'vertical' } }, ...buttons);
  list.addEventListener('keydown', (event) => {
    const index = buttons.findIndex((b) => b === document.activeElement);
    if (index < 0) return;
    const last = buttons.length - 1;
    const next = { ArrowDown: index + 1, ArrowRight: index + 1, ArrowUp: index - 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = (next + buttons.length) % buttons.length;
    buttons[target]!.focus();
    onSelect(tabs[target]!.id);
  });
  return list;
}

/** Mark `id` selected without rebuilding (keeps focus where it is). */
export function selectTab(list: HTMLElement, id: string): void {
  for (const tab of list.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    const on = tab.id === `tab-${id}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
}
