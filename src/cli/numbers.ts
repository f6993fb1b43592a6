/** Parsing numeric flags with errors that name the flag and the value. */
import { CliError } from './cliError.js';

export function intFlag(flag: string, value: string | undefined, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || (range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    throw new CliError({
      code: 'E_USAGE',
      message: `${flag} "${value}" is not a whole number${rangeText(range)}`,
      remedy: `Pass ${flag} with a whole number${rangeText(range)}.`,
    });
  }
  return n;
}

export function numberFlag(flag: string, value: string | undefined, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    throw new CliError({ code: 'E_USAGE', message: `${flag} "${value}" is not a number${rangeText(range)}`, remedy: `Pass ${flag} with a number${rangeText(range)}.` });
  }
  return n;
}

function rangeText(range: { min?: number; max?: number }): string {
  if (range.min !== undefined && range.max !== undefined) return ` between ${range.min} and ${range.max}`;
  if (range.min !== undefined) return ` >= ${range.min}`;
  if (range.max !== undefined) return ` <= ${range.max}`;
  return '';
}
