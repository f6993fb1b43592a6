/**
 * Faults on demand: the sandbox can answer like a Feishu having a bad day.
 * A spec is a comma-separated list of `key:value` pairs, e.g.
 * `1061045:0.1,1061001:0.05,5xx:0.05,latency:50,reset:0.02,slow:0.01,seed:42`:
 * - `<code>:<p>`  answer that Feishu error code (any code of src/feishu/errorCodes.ts) with probability p
 * - `5xx:<p>`     answer a plain HTML 502 page (no envelope) with probability p
 * - `latency:<ms>` add this delay before every answer
 * - `reset:<p>`   destroy the socket after reading part of the request body
 * - `slow:<p>`    dribble the response out in small pieces
 * - `seed:<n>`    seed of the random sequence (default 1): the same requests in the same order meet the same faults
 * - `auth:1`      also apply faults to the token endpoints (never to the admin endpoints)
 * Latency and slow answers wait in real time (they are about the wire), while
 * token, upload and quota lifetimes follow the injected clock.
 */
import { FEISHU_ERROR_CODES } from '../feishu/errorCodes.js';
import { seededRandom, type Random } from '../platform/clock.js';

export interface FaultSpec {
  codes: { code: number; probability: number }[];
  badGateway: number;
  latencyMs: number;
  reset: number;
  slow: number;
  seed: number;
  includeAuth: boolean;
}

/** The fault decided for one request. */
export interface FaultDecision {
  latencyMs: number;
  reset: boolean;
  slow: boolean;
  answer?: { kind: 'code'; code: number } | { kind: 'badGateway' };
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

const FORMAT_HINT =
  'expected comma-separated key:value pairs such as "1061045:0.1,5xx:0.05,latency:50,reset:0.02,slow:0.01,seed:42"';

export const NO_FAULTS: FaultSpec = { codes: [], badGateway: 0, latencyMs: 0, reset: 0, slow: 0, seed: 1, includeAuth: false };

function probability(key: string, raw: string): number {
  const p = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new FaultSpecError(`fault spec: "${key}:${raw}" needs a probability between 0 and 1`);
  }
  return p;
}

function wholeNumber(key: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new FaultSpecError(`fault spec: "${key}:${raw}" needs a non-negative whole number`);
  return Number(raw);
}

/** Parse a fault spec; throws FaultSpecError naming the bad piece. An empty spec (or "none") means no faults. */
export function parseFaultSpec(spec: string): FaultSpec {
  const result: FaultSpec = { ...NO_FAULTS, codes: [] };
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'none') return result;
  const seen = new Set<string>();
  for (const piece of trimmed.split(',')) {
    const match = /^\s*([^:\s]+)\s*:\s*(\S*)\s*$/.exec(piece);
    if (!match) throw new FaultSpecError(`fault spec: cannot read "${piece}"; ${FORMAT_HINT}`);
    const [, key, value] = match as unknown as [string, string, string];
    if (seen.has(key)) throw new FaultSpecError(`fault spec: "${key}" is given twice`);
    seen.add(key);
    if (/^\d+$/.test(key)) {
      const code = Number(key);
      if (!FEISHU_ERROR_CODES.has(code)) {
        throw new FaultSpecError(`fault spec: ${code} is not a Feishu error code known to src/feishu/errorCodes.ts`);
      }
      result.codes.push({ code, probability: probability(key, value) });
      continue;
    }
    switch (key) {
      case '5xx': result.badGateway = probability(key, value); break;
      case 'reset': result.reset = probability(key, value); break;
      case 'slow': result.slow = probability(key, value); break;
      case 'latency': result.latencyMs = wholeNumber(key, value); break;
      case 'seed': result.seed = wholeNumber(key, value); break;
      case 'auth':
        if (value !== '0' && value !== '1') throw new FaultSpecError(`fault spec: "auth:${value}" must be auth:0 or auth:1`);
        result.includeAuth = value === '1';
        break;
      default:
        throw new FaultSpecError(`fault spec: unknown key "${key}"; ${FORMAT_HINT}`);
    }
  }
  return result;
}

/**
 * Draws the fault of each request from a seeded sequence. Every request
 * draws the same count of numbers whatever the outcome, so a run is
 * reproducible from the seed and the order of requests.
 */
export class FaultInjector {
  private spec: FaultSpec = NO_FAULTS;
  private random: Random = seededRandom(NO_FAULTS.seed);

  constructor(spec: string | undefined) {
    this.set(spec ?? '');
  }

  /** Replace the spec (and restart the random sequence from its seed). Throws FaultSpecError. */
  set(spec: string): void {
    this.spec = parseFaultSpec(spec);
    this.random = seededRandom(this.spec.seed);
  }

  get current(): FaultSpec {
    return this.spec;
  }

  appliesToAuth(): boolean {
    return this.spec.includeAuth;
  }

  decide(): FaultDecision {
    const { spec } = this;
    const decision: FaultDecision = { latencyMs: spec.latencyMs, reset: false, slow: false };
    if (spec.reset > 0) decision.reset = this.random() < spec.reset;
    for (const { code, probability: p } of spec.codes) {
      if (p > 0 && this.random() < p && !decision.answer) decision.answer = { kind: 'code', code };
    }
    if (spec.badGateway > 0 && this.random() < spec.badGateway && !decision.answer) decision.answer = { kind: 'badGateway' };
    if (spec.slow > 0) decision.slow = this.random() < spec.slow;
    return decision;
  }
}
