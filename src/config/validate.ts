/**
 * A small validator for the subset of JSON Schema used by SETTINGS_JSON_SCHEMA,
 * written for its messages: every issue names the key path and the bad value
 * ("limits.qps = -1: must be >= 0.1"), which ajv's generic text does not.
 */
import type { JsonSchema } from './schema.js';

export interface SchemaIssue {
  /** Dotted key path, e.g. "mappings[0].deletePolicy". */
  path: string;
  value: unknown;
  message: string;
}

export function validateAgainstSchema(schema: JsonSchema, value: unknown, path = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const fail = (message: string) => issues.push({ path: path || '(root)', value, message });

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      fail(`must be ${types.map(article).join(' or ')}`);
      return issues;
    }
  }
  if (schema.enum && !schema.enum.includes(value as never)) {
    fail(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) fail(`must not be empty`);
    else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) fail(`must match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => issues.push(...validateAgainstSchema(schema.items!, item, `${path}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in record)) issues.push({ path: join(path, key), value: undefined, message: 'is required' });
    }
    for (const [key, child] of Object.entries(record)) {
      const childSchema = schema.properties?.[key];
      if (childSchema) issues.push(...validateAgainstSchema(childSchema, child, join(path, key)));
      else if (schema.additionalProperties === false) {
        issues.push({ path: join(path, key), value: child, message: 'is not a known setting (misspelt?)' });
      } else if (typeof schema.additionalProperties === 'object') {
        issues.push(...validateAgainstSchema(schema.additionalProperties, child, join(path, key)));
      }
    }
  }
  return issues;
}

/** "limits.qps = -1: must be >= 0.1" */
export function formatIssue(issue: SchemaIssue): string {
  const shown = issue.value === undefined ? '' : ` = ${truncate(JSON.stringify(issue.value))}`;
  return `${issue.path}${shown}: ${issue.message}`;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function article(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
