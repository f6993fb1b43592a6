/**
 * Typed reads of envelope fields. A success answer that lacks a field the
 * protocol promises is a malformed answer (LOCAL_ERROR_CODES.badResponse),
 * reported with the endpoint, never an `undefined` leaking into the engine.
 */
import type { EndpointId } from './endpoints.js';
import { LOCAL_ERROR_CODES } from './errorCodes.js';
import { FeishuError } from './feishuError.js';

export class FieldReader {
  constructor(
    private readonly endpoint: EndpointId,
    private readonly obj: Record<string, unknown>,
    private readonly logId?: string,
  ) {}

  private missing(key: string, expected: string): FeishuError {
    return new FeishuError({
      code: LOCAL_ERROR_CODES.badResponse,
      httpStatus: 200,
      msg: `answer lacks ${expected} field "${key}"`,
      endpoint: this.endpoint,
      logId: this.logId,
    });
  }

  string(key: string): string {
    const v = this.obj[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
    throw this.missing(key, 'string');
  }

  optString(key: string): string | undefined {
    const v = this.obj[key];
    if (typeof v === 'string') return v === '' ? undefined : v;
    if (typeof v === 'number') return String(v);
    return undefined;
  }

  number(key: string): number {
    const v = this.obj[key];
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
    throw this.missing(key, 'numeric');
  }

  optNumber(key: string): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null || v === '') return undefined;
    return this.number(key);
  }

  optBoolean(key: string): boolean {
    return this.obj[key] === true;
  }

  /** A nested object (empty reader when absent). */
  object(key: string): FieldReader {
    const v = this.obj[key];
    return new FieldReader(this.endpoint, v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}, this.logId);
  }

  /** An array of objects (empty when absent). */
  objects(key: string): FieldReader[] {
    const v = this.obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.missing(key, 'array');
    return v.map((item) => new FieldReader(this.endpoint, item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {}, this.logId));
  }
}

type Defined<O> = { [K in keyof O]?: Exclude<O[K], undefined> };

/** `base` plus those entries of `optional` that are defined (no `key: undefined` in results). */
export function withDefined<T extends object, O extends Record<string, unknown>>(base: T, optional: O): T & Defined<O> {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) out[key] = value;
  }
  return out as T & Defined<O>;
}
