/**
 * The request pipeline: admin routes, then for every Feishu endpoint
 * count → faults → rate/quota → auth → handler → reply. Every answer,
 * failures included, carries the Feishu envelope (except the injected 502
 * page and raw downloads) and an `X-Tt-Logid` header.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { METERED_ENDPOINTS, type EndpointId } from '../feishu/endpoints.js';
import type { Clock } from '../platform/clock.js';
import type { SandboxAuth } from './auth.js';
import type { Handler } from './context.js';
import { BAD_GATEWAY_HTML, SandboxError, errorReply, jsonReply, newLogId, type Reply } from './envelope.js';
import { FaultSpecError, type FaultInjector } from './faults.js';
import type { CallLimiter } from './limits.js';
import { writeReply } from './replyWriter.js';
import { readJson } from './requestBody.js';
import { matchRoute } from './routes.js';
import type { SandboxOAuth } from './oauth.js';

export interface PipelineParts {
  clock: Clock;
  auth: SandboxAuth;
  /** The OAuth authorize page and code exchange (absent: not served). */
  oauth?: SandboxOAuth;
  limiter: CallLimiter;
  faults: FaultInjector;
  handlers: Partial<Record<EndpointId, Handler>>;
  /** The admin facts (GET /sandbox/admin/tree and /counters). */
  admin: { tree(): unknown; counters(): unknown };
  /** Told about bugs (a handler threw something that is not a SandboxError). */
  onInternalError(error: unknown): void;
}

const INTERNAL_ERROR = 1061001;

/** The `reset` fault: read part of the request body, then drop the connection. */
function resetMidBody(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const drop = () => {
      req.socket.destroy();
      resolve();
    };
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return drop();
    req.once('data', drop);
    req.once('end', drop);
    req.once('close', resolve);
  });
}

async function adminReply(parts: PipelineParts, req: IncomingMessage, pathname: string): Promise<Reply> {
  if (req.method === 'GET' && pathname === '/sandbox/admin/tree') return jsonReply(200, parts.admin.tree());
  if (req.method === 'GET' && pathname === '/sandbox/admin/counters') return jsonReply(200, parts.admin.counters());
  if (req.method === 'POST' && pathname === '/sandbox/admin/faults') {
    const body = await readJson(req);
    if (typeof body.spec !== 'string') throw new SandboxError(1061002, 'send JSON { "spec": "<fault spec>" }');
    try {
      parts.faults.set(body.spec);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new SandboxError(1061002, error.message);
      throw error;
    }
    return jsonReply(200, { spec: body.spec, faults: parts.faults.current });
  }
  if (req.method === 'POST' && pathname === '/sandbox/admin/user-tokens') {
    const body = await readJson(req);
    const { user } = body;
    if (user !== undefined && (typeof user !== 'string' || user === '')) throw new SandboxError(1061002, 'send JSON { "user": "<name>" } (user optional)');
    return jsonReply(200, parts.auth.issueUserTokens(user));
  }
  throw new SandboxError(1061003, `no admin route ${req.method} ${pathname}`, { httpStatus: 404 });
}

async function endpointReply(parts: PipelineParts, req: IncomingMessage, url: URL): Promise<{ reply?: Reply; slow: boolean }> {
  const route = matchRoute(req.method ?? '', url.pathname);
  if (!route) throw new SandboxError(1061003, `no Feishu API ${req.method} ${url.pathname} in the sandbox`, { httpStatus: 404 });
  parts.limiter.record(route.id);
  // The token endpoints are the ones outside the metered API budget.
  const isAuth = !METERED_ENDPOINTS.includes(route.id);
  let slow = false;
  if (!isAuth || parts.faults.appliesToAuth()) {
    const fault = parts.faults.decide();
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.reset) {
      await resetMidBody(req);
      return { slow };
    }
    if (fault.answer?.kind === 'code') throw new SandboxError(fault.answer.code, 'injected by the sandbox fault spec');
    if (fault.answer?.kind === 'badGateway') {
      return { reply: { status: 502, headers: { 'Content-Type': 'text/html' }, body: Buffer.from(BAD_GATEWAY_HTML) }, slow: fault.slow };
    }
    slow = fault.slow;
  }
  if (route.id === 'tenantToken') return { reply: await parts.auth.appCredentialsToken(req, 'tenant'), slow };
  if (route.id === 'appToken') return { reply: await parts.auth.appCredentialsToken(req, 'app'), slow };
  if (route.id === 'userTokenRefresh') return { reply: await parts.auth.refreshUserToken(req), slow };
  if (route.id === 'userTokenFromCode' && parts.oauth) return { reply: await parts.oauth.exchange(req), slow };
  parts.limiter.admit(route.id);
  const identity = parts.auth.identify(req);
  const handler = parts.handlers[route.id];
  if (!handler) throw new SandboxError(1061003, `${route.id} is not served by the sandbox`, { httpStatus: 404 });
  return { reply: await handler({ req, url, params: route.params, identity }), slow };
}

export function createSandboxServer(parts: PipelineParts): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const logId = newLogId(parts.clock.now());
      let outcome: { reply?: Reply; slow: boolean };
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        outcome = url.pathname.startsWith('/sandbox/admin/')
          ? { reply: await adminReply(parts, req, url.pathname), slow: false }
          : parts.oauth?.isAuthorizePage(req.method, url.pathname)
            ? { reply: parts.oauth.authorizePage(url), slow: false }
            : await endpointReply(parts, req, url);
      } catch (error) {
        if (error instanceof SandboxError) {
          outcome = { reply: errorReply(error, logId), slow: false };
        } else {
          parts.onInternalError(error);
          outcome = { reply: errorReply(new SandboxError(INTERNAL_ERROR, String((error as Error)?.message ?? error)), logId), slow: false };
        }
      }
      if (outcome.reply) await writeReply(res, outcome.reply, logId, outcome.slow);
    })().catch((error: unknown) => {
      parts.onInternalError(error);
      res.destroy();
    });
  });
  // Unparseable HTTP gets an envelope too, never a bare 400 page.
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
    const body = JSON.stringify({ code: 1061002, msg: `params error: malformed HTTP request (${error.code ?? error.message})`, data: {} });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nX-Tt-Logid: ${newLogId(parts.clock.now())}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
