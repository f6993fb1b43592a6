/**
 * Field rules shared by every sandbox endpoint, with the code Feishu answers
 * for each breach. Values come from JSON (typed) or multipart (strings): both
 * go through the same checks.
 */
import { MAX_NAME_LENGTH } from '../feishu/limits.js';
import { SandboxError } from './envelope.js';

const PARAMS_ERROR = 1061002;
const INVALID_NAME = 1061008;
const INVALID_CHECKSUM = 1062008;

/** A required string field (empty strings are refused). */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) throw new SandboxError(PARAMS_ERROR, `missing field ${field}`);
  if (typeof value !== 'string') throw new SandboxError(PARAMS_ERROR, `field ${field} must be a string, got ${typeof value}`);
  if (value === '') throw new SandboxError(PARAMS_ERROR, `field ${field} is empty`);
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new SandboxError(PARAMS_ERROR, `field ${field} must be a string, got ${typeof value}`);
  return value;
}

/**
 * A Drive name: 1..250 characters (code points), kept literally — "a/b" and
 * "../x" are names like any other, never paths.
 */
export function validName(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value !== undefined && value !== null && typeof value !== 'string') {
    throw new SandboxError(PARAMS_ERROR, `field ${field} must be a string, got ${typeof value}`);
  }
  const name = (value ?? '') as string;
  const length = [...name].length;
  if (length === 0) throw new SandboxError(INVALID_NAME, `${field} is empty`);
  if (length > MAX_NAME_LENGTH) throw new SandboxError(INVALID_NAME, `${field} has ${length} characters, more than ${MAX_NAME_LENGTH}`);
  return name;
}

/**
 * A whole number field. Feishu is strict: multipart values must be plain
 * digits (no sign, no spaces — a trailing space is a documented 1061002), JSON
 * values a number or such a string.
 */
export function wholeNumber(body: Record<string, unknown>, field: string, options: { min: number }): number {
  const value = body[field];
  if (value === undefined || value === null || value === '') throw new SandboxError(PARAMS_ERROR, `missing field ${field}`);
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string' && /^\d+$/.test(value)) {
    n = Number(value);
  } else {
    throw new SandboxError(PARAMS_ERROR, `field ${field} must be a whole number, got ${JSON.stringify(value)}`);
  }
  if (!Number.isSafeInteger(n)) throw new SandboxError(PARAMS_ERROR, `field ${field} must be a whole number, got ${JSON.stringify(value)}`);
  if (n < options.min) throw new SandboxError(PARAMS_ERROR, `field ${field} must be at least ${options.min}, got ${n}`);
  return n;
}

/** When a checksum is given, it must be the unsigned decimal Adler-32 of the bytes. */
export function checkChecksum(body: Record<string, unknown>, actualAdler32: string): void {
  const given = optionalString(body, 'checksum');
  if (given === undefined) return;
  if (!/^\d+$/.test(given) || Number(given) !== Number(actualAdler32)) {
    throw new SandboxError(INVALID_CHECKSUM, `checksum ${JSON.stringify(given)} is not the Adler-32 of the bytes received (${actualAdler32})`);
  }
}
