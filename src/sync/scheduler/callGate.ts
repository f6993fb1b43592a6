/**
 * The gate every HTTP call passes through, wired into the Drive client as
 * its RequestHook: refuse at once if today's quota leaves no room, wait for
 * the endpoint's pacing slot, then count the call in the persisted ledger —
 * all before the request leaves. Responses feed the pacer: 99991400 slows the
 * endpoint down, anything else lets it recover.
 */
import type { Clock } from '../../platform/clock.js';
import type { EndpointId } from '../../feishu/endpoints.js';
import type { RequestHook } from '../../feishu/driveApi.js';
import { errorInfo } from '../../feishu/errorCodes.js';
import { retryAfterMsOf } from '../../feishu/envelope.js';
import type { CallGate } from '../schedulerApi.js';
import { PRIORITY_RANK } from './priorityRank.js';
import type { CallPacer, PaceOutcome } from './callPacer.js';
import type { QuotaLedger } from './quotaLedger.js';

export interface GateOptions {
  /**
   * A 99991400 pause longer than this is not waited out inside acquire (it
   * would hold a job's slot for hours): acquire — including calls already
   * waiting in line — throws QuotaExhaustedError with resumesAt at the end of
   * the pause instead. Default 60,000 ms.
   */
  longPauseMs?: number;
}

export class SchedulerGate implements CallGate {
  private readonly longPauseMs: number;
  /** Calls waiting in each endpoint's pacing line, so a long server pause can turn them away. */
  private readonly waiting = new Map<EndpointId, Set<AbortController>>();

  constructor(
    private readonly clock: Clock,
    private readonly pacer: CallPacer,
    private readonly ledger: QuotaLedger,
    options: GateOptions = {},
  ) {
    this.longPauseMs = options.longPauseMs ?? 60_000;
  }

  /**
   * Resolves when a call to `endpoint` may be sent now; the call is already
   * counted. Throws QuotaExhaustedError (E_QUOTA) instead of ever sending past
   * the quota, or the signal's reason when aborted while waiting.
   */
  async acquire(endpoint: EndpointId, signal?: AbortSignal): Promise<void> {
    this.ledger.check(endpoint);
    const pausedUntil = this.pacer.pausedUntil(endpoint);
    if (pausedUntil - this.clock.now() > this.longPauseMs) throw this.ledger.serverRefusal(endpoint, pausedUntil);
    const turnAway = new AbortController();
    const line = this.waiting.get(endpoint) ?? new Set<AbortController>();
    this.waiting.set(endpoint, line);
    line.add(turnAway);
    try {
      // Waiting calls of an explicit send overtake sync calls; calls outside any job rank with 'recent'.
      const rank = PRIORITY_RANK[this.ledger.currentPriority() ?? 'recent'];
      await this.pacer.wait(endpoint, signal ? AbortSignal.any([signal, turnAway.signal]) : turnAway.signal, rank);
    } finally {
      line.delete(turnAway);
    }
    // Re-checked at the moment of counting: other callers may have used the last calls while this one waited.
    this.ledger.charge(endpoint);
  }

  report(endpoint: EndpointId, outcome: PaceOutcome): void {
    this.pacer.report(endpoint, outcome);
    const pausedUntil = this.pacer.pausedUntil(endpoint);
    const line = this.waiting.get(endpoint);
    if (!line || line.size === 0 || pausedUntil - this.clock.now() <= this.longPauseMs) return;
    const refusal = this.ledger.serverRefusal(endpoint, pausedUntil);
    for (const turnAway of [...line]) turnAway.abort(refusal);
  }

  /** The hook to pass to the Drive client (FeishuClient's `hook` option). */
  requestHook(): RequestHook {
    return {
      beforeRequest: (endpoint, signal) => this.acquire(endpoint, signal),
      afterResponse: (info) => {
        const rateLimited = errorInfo(info.code, info.httpStatus).kind === 'rateLimited';
        this.report(info.endpoint, {
          rateLimited,
          retryAfterMs: rateLimited ? retryAfterMsOf(lowerCaseKeys(info.headers), this.clock.now()) : undefined,
        });
      },
    };
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}
