/** Account: which cloud, which app, which identity; Test connection; Save. */
import type { EngineState } from '../../../src/sync/engineApi.js';
import { busy, report, statusRegion, type PageContext, type PageView } from '../context.js';
import { field, h } from '../dom.js';
import { signInCard } from './signIn.js';

type CloudChoice = 'feishu' | 'lark' | 'custom';

export function accountPage(ctx: PageContext): PageView {
  const { t, api } = ctx;
  const account = ctx.settings.account;
  const initialCloud: CloudChoice = !account || account.cloud === 'feishu' ? 'feishu' : account.cloud === 'lark' ? 'lark' : 'custom';

  const cloud = h(
    'select',
    { id: 'cloud' },
    h('option', { value: 'feishu' }, t.cloudFeishu),
    h('option', { value: 'lark' }, t.cloudLark),
    h('option', { value: 'custom' }, t.cloudCustom),
  );
  cloud.value = initialCloud;
  const customUrl = h('input', { id: 'custom-url', attrs: { type: 'url', placeholder: 'https://', autocomplete: 'off', spellcheck: 'false' }, value: initialCloud === 'custom' ? account!.cloud : '' });
  const customField = field(t.customUrl, customUrl, t.customUrlHint);
  const identity = h('select', { id: 'identity' }, h('option', { value: 'tenant' }, t.identityTenant), h('option', { value: 'user' }, t.identityUser));
  identity.value = account?.identity ?? 'tenant';
  const identityHint = h('p', { class: 'hint' }, t.identityUserHint);
  const appId = h('input', { id: 'app-id', attrs: { autocomplete: 'off', spellcheck: 'false', placeholder: 'cli_…', required: true }, value: account?.appId ?? '' });
  const secret = h('input', {
    id: 'app-secret',
    attrs: { type: 'password', autocomplete: 'off', placeholder: ctx.settings.hasSecret ? t.secretStored : '' },
  });
  const outcome = statusRegion();

  const input = () => ({
    cloud: cloud.value === 'custom' ? customUrl.value.trim() : cloud.value,
    appId: appId.value.trim(),
    identity: identity.value as 'tenant' | 'user',
    secret: secret.value,
  });
  // Signed in: the secret is stored now, like after Save.
  const signIn = signInCard(ctx, input, () => {
    secret.value = '';
    secret.placeholder = t.secretStored;
  });

  const sync = () => {
    customField.hidden = cloud.value !== 'custom';
    identityHint.hidden = identity.value !== 'user';
    signIn.setEnabled(identity.value === 'user');
  };
  cloud.addEventListener('change', sync);
  identity.addEventListener('change', sync);
  sync();

  const testButton = h('button', { class: 'secondary', attrs: { type: 'button' } }, t.testConnection);
  testButton.addEventListener('click', () =>
    busy(testButton, async () => {
      const result = await api.testConnection(input());
      const value = report(outcome, result, t);
      if (value) {
        outcome.className = value.ok ? 'outcome ok' : 'outcome error';
        outcome.textContent = value.message;
      }
    }, t.testing),
  );
  const form = h(
    'form',
    { class: 'card', attrs: { novalidate: true, 'aria-labelledby': 'account-title' } },
    field(t.cloud, cloud),
    customField,
    field(t.identity, identity),
    identityHint,
    field(t.appId, appId),
    field(t.appSecret, secret, t.secretHint),
    h('div', { class: 'actions' }, testButton, h('button', { class: 'primary', attrs: { type: 'submit' } }, t.save)),
    outcome,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
    void busy(submit, async () => {
      const saved = report(outcome, await api.saveAccount(input()), t, t.saved);
      if (saved) {
        secret.value = '';
        secret.placeholder = saved.hasSecret ? t.secretStored : '';
        await ctx.setSettings(saved);
      }
    });
  });

  // Why nothing syncs yet (no account, no secret…), as the engine reports it; updated live.
  const connection = h('p', { class: 'outcome banner', attrs: { 'aria-live': 'polite' } });
  const drawConnection = (state: EngineState) => {
    const notConfigured = !state.running ? state.lastErrors.find((e) => e.code === 'E_NOT_CONFIGURED') : undefined;
    connection.className = `outcome banner${notConfigured ? ' error' : state.running ? ' ok' : ''}`;
    connection.textContent = notConfigured ? notConfigured.message : state.running ? t.connected : '';
  };
  drawConnection(ctx.state);

  return {
    element: h('section', {}, h('h1', { id: 'account-title' }, t.pages.account), h('p', { class: 'intro' }, t.accountIntro), connection, form, signIn.element),
    update: drawConnection,
  };
}
