/**
 * The loopback redirect target of a user sign-in (`feisync login --user`, the
 * tray app's "Sign in as a user"): an HTTP listener on
 * 127.0.0.1 (a free port) whose URL is the OAuth redirect_uri. It waits for
 * the browser to come back with `?code=…&state=…`, checks the state (a
 * request with another state is refused and the wait goes on: it may be
 * forged), and gives up after a timeout.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAuthorizationRedirect } from './oauth.js';

export const CALLBACK_PATH = '/feisync/oauth/callback';

/** Why a sign-in did not produce a code; `remedy` is one line a user can act on. */
export class OAuthSignInError extends Error {
  override readonly name = 'OAuthSignInError';
  constructor(
    readonly code: 'E_OAUTH_DENIED' | 'E_OAUTH_NO_CODE' | 'E_OAUTH_TIMEOUT' | 'E_OAUTH_CANCELLED' | 'E_OAUTH_PORT',
    message: string,
    readonly remedy: string,
  ) {
    super(message);
  }
}

const AGAIN = 'Sign in again and approve the request in the browser.';

export interface LoopbackOptions {
  expectedState: string;
  timeoutMs: number;
  /** Port to listen on (default 0 = a free one). */
  port?: number;
  /** Abort the wait (the UI's Cancel): rejects with E_OAUTH_CANCELLED. */
  signal?: AbortSignal;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/feisync/oauth/callback` */
  redirectUri: string;
  /** Resolves with the code; rejects with an OAuthSignInError on denial, timeout or cancel. */
  code: Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>FeiSync</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;

export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => {}); // the caller awaits it; never an unhandled rejection
  let done = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, html: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' }).end(html);
    };
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return answer(404, page('Not found', 'This is the FeiSync sign-in listener.'));
    if (done) return answer(410, page('Already done', 'This sign-in is over; you can close this tab.'));
    const outcome = parseAuthorizationRedirect(url, options.expectedState);
    if (outcome.ok) {
      done = true;
      answer(200, page('Signed in', 'FeiSync received the sign-in. You can close this tab and return to the terminal.'));
      return settle.resolve(outcome.code);
    }
    if (outcome.reason === 'stateMismatch') {
      return answer(400, page('Refused', 'This sign-in response does not belong to the running `feisync login` (state mismatch).'));
    }
    done = true;
    answer(400, page('Sign-in failed', `Feishu did not sign you in: ${escapeHtml(outcome.detail)}.`));
    settle.reject(new OAuthSignInError(outcome.reason === 'denied' ? 'E_OAUTH_DENIED' : 'E_OAUTH_NO_CODE', `the sign-in was not completed: ${outcome.detail}`, AGAIN));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: Error & { code?: string }) =>
      reject(new OAuthSignInError('E_OAUTH_PORT', `cannot listen on 127.0.0.1:${options.port ?? 0} for the sign-in: ${e.code ?? e.message}`,
        'Choose another port (and register its redirect URL for the app), or stop the program using it.')));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => {
    done = true;
    settle.reject(new OAuthSignInError('E_OAUTH_TIMEOUT', `no sign-in arrived within ${Math.round(options.timeoutMs / 1000)} s`, `${AGAIN} (Allow more time, or on a machine without a browser sign in with a code.)`));
  }, options.timeoutMs);
  timer.unref();
  const onAbort = () => {
    done = true;
    settle.reject(new OAuthSignInError('E_OAUTH_CANCELLED', 'the sign-in was cancelled', AGAIN));
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
