import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors/hub-error';
import { ValidationError } from '../../core/errors/validation.error';

/** `['lines', 0, 'quantity']` → `lines[0].quantity`, the path style of ErrorDetail. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** zod's own wording for the formats the order schema uses reads poorly in an API answer. */
const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  date: 'must be a calendar date, YYYY-MM-DD',
  datetime: 'must be an ISO 8601 date-time with offset, e.g. 2026-01-31T09:00:00Z',
  email: 'must be an email address',
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A message a partner's developer can act on without knowing zod. */
function readableMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      // Decimals as JSON numbers are the most common partner mistake; say how to send them.
      if (issue.expected === 'string' && typeof issue.input === 'number') {
        return 'must be a string; send numbers as decimal strings, e.g. "12.50"';
      }
      return `must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}, got ${typeName(issue.input)}`;
    case 'invalid_format':
      // The hub's regex messages are noun phrases ('a decimal number as a string …').
      if (issue.format === 'regex') return /^an? /.test(issue.message) ? `must be ${issue.message}` : issue.message;
      return FORMAT_MESSAGES[issue.format] ?? issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1 && issue.message.startsWith('Too small')) return 'must not be empty';
      return issue.message;
    default:
      return issue.message;
  }
}

/** One detail per offending field, in schema order; identical repeats (same path and text) collapse. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: formatPath([...issue.path, key], prefix), message: 'unknown field', code: issue.code });
      continue;
    }
    const detail = { path: formatPath(issue.path, prefix), message: readableMessage(issue), code: issue.code };
    const id = `${detail.path}\u0000${detail.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    details.push(detail);
  }
  return details;
}

/**
 * Validates a request part against its schema and returns the parsed value.
 * @throws ValidationError (→ 422) naming every offending field; query fields are prefixed `query.`
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query'): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues, part === 'query' ? 'query' : '');
  throw new ValidationError(`invalid request ${part}: ${details.map((d) => d.path || part).join(', ')}`, details);
}

/**
 * Fields the schema does not know, at every depth. The order schemas in core/ are not strict (other
 * sources may carry extras that parsers drop), but on the REST API an unknown field is nearly always
 * a misspelt one (`requestedDeliveryDat`) whose value would otherwise vanish silently.
 */
export function unknownFieldDetails(schema: z.ZodType, value: unknown, path: readonly PropertyKey[] = []): ErrorDetail[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return unknownFieldDetails(schema.unwrap() as z.ZodType, value, path);
  }
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownFieldDetails(schema.element as z.ZodType, item, [...path, i]));
  }
  if (!(schema instanceof z.ZodObject) || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(value).flatMap(([key, child]) => {
    // hasOwn, not shape[key]: a body may well say "constructor" or "__proto__".
    return Object.hasOwn(shape, key)
      ? unknownFieldDetails(shape[key]!, child, [...path, key])
      : [{ path: formatPath([...path, key]), message: 'unknown field', code: 'unrecognized_keys' }];
  });
}
