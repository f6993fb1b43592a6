/**
 * The Account page's "Sign in with Feishu" card: start the browser sign-in,
 * wait (Cancel), or paste the code from a browser elsewhere; errors show with
 * their remedy. Enabled only while "Upload as" is the user account.
 */
import type { AccountInput, BridgeResult, SignInOutcome } from '../../shared/bridgeApi.js';
import { report, statusRegion, type PageContext } from '../context.js';
import { field, h, replaceChildren } from '../dom.js';

export interface SignInCard {
  element: HTMLElement;
  /** Follow the identity select: the card works only for 'user'. */
  setEnabled(enabled: boolean): void;
}

export function signInCard(ctx: PageContext, input: () => AccountInput, onSignedIn: () => void): SignInCard {
  const { t, api } = ctx;
  let enabled = true;
  let waiting = false;
  // Bumped by a pasted code or a new start: an older answer (e.g. the cancelled wait) is then ignored.
  let attempt = 0;

  const state = h('p', { id: 'sign-in-state', class: 'signin-state', attrs: { 'aria-live': 'polite' } });
  const start = h('button', { id: 'sign-in', class: 'primary', attrs: { type: 'button' } });
  const cancel = h('button', { id: 'sign-in-cancel', class: 'secondary', attrs: { type: 'button' } }, t.signInCancel);
  const progress = h('p', { id: 'sign-in-progress', class: 'outcome waiting', attrs: { role: 'status' } });
  const link = h('input', { id: 'sign-in-link', attrs: { readonly: true, spellcheck: 'false' } });
  const linkField = field(t.signInLink, link, t.signInLinkHint);
  link.addEventListener('focus', () => link.select());
  const code = h('input', { id: 'sign-in-code', attrs: { autocomplete: 'off', spellcheck: 'false', placeholder: 'code=…' } });
  const useCode = h('button', { id: 'sign-in-code-submit', class: 'secondary', attrs: { type: 'button' } }, t.pasteCodeSubmit);
  const outcome = statusRegion();

  const draw = () => {
    const signedIn = ctx.settings.signedIn && ctx.settings.account?.identity === 'user';
    replaceChildren(state, signedIn ? t.signedIn : enabled ? t.notSignedIn : t.signInNeedsUser);
    state.className = `signin-state${signedIn ? ' ok' : ''}`;
    start.textContent = ctx.settings.signedIn ? t.signInAgain : t.signIn;
    start.disabled = !enabled || waiting;
    cancel.hidden = !waiting;
    progress.textContent = waiting ? t.signInWaiting : '';
    linkField.hidden = !waiting || link.value === '';
    code.disabled = !enabled;
    useCode.disabled = !enabled;
  };

  const settle = async (mine: number, result: BridgeResult<SignInOutcome>) => {
    if (mine !== attempt) return; // superseded by a pasted code or another start
    waiting = false;
    outcome.removeAttribute('role');
    outcome.setAttribute('role', 'status');
    if (!result.ok && result.error.code === 'E_OAUTH_CANCELLED') {
      outcome.className = 'outcome';
      outcome.textContent = t.signInCancelled;
    } else {
      const done = report(outcome, result, t, t.signInDone);
      if (done) {
        code.value = '';
        await ctx.setSettings(done.settings);
        onSignedIn();
      }
    }
    draw();
    // Focus goes back to where the user can act next (Cancel disappears).
    (result.ok ? state : start).focus?.();
  };

  start.addEventListener('click', () => {
    const mine = ++attempt;
    waiting = true;
    replaceChildren(outcome);
    draw();
    cancel.focus();
    link.value = '';
    void api.startSignIn(input()).then((result) => settle(mine, result));
    void showLink(mine);
  });
  // The address of the Feishu page, to open in a browser elsewhere (it exists once main has built it).
  const showLink = async (mine: number) => {
    for (let tries = 0; tries < 40 && waiting && mine === attempt; tries++) {
      const result = await api.signInLink();
      if (result.ok && result.value && waiting && mine === attempt) {
        link.value = result.value;
        return draw();
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  cancel.addEventListener('click', () => void api.cancelSignIn());
  useCode.addEventListener('click', () => {
    const mine = ++attempt;
    useCode.disabled = true;
    void api.completeSignIn({ ...input(), code: code.value }).then((result) => settle(mine, result));
  });
  state.tabIndex = -1;

  const element = h(
    'section',
    { class: 'card signin', attrs: { 'aria-labelledby': 'sign-in-title' } },
    h('h2', { id: 'sign-in-title' }, t.signInTitle),
    state,
    h('div', { class: 'actions' }, start, cancel),
    progress,
    linkField,
    field(t.pasteCode, code, t.pasteCodeHint),
    h('div', { class: 'actions' }, useCode),
    outcome,
  );
  draw();
  return {
    element,
    setEnabled(next) {
      enabled = next;
      draw();
    },
  };
}
