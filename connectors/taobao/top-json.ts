import { randomBytes } from 'node:crypto';
import { JsonDecimal, stringifyWithDecimals } from '../shared/json-decimals';

/**
 * TOP answers carry ids as JSON numbers that do not fit a double: a tid such as 3524419873459847323
 * comes back from JSON.parse as 3524419873459847000, another trade's id. Answers are therefore read
 * with every number kept as the JsonDecimal of its literal, and a trade is stored by writing those
 * literals back (stringifyWithDecimals), so the raw message keeps the ids Taobao sent. Money is sent
 * as strings ("200.07"), so nothing here is ever a float.
 */

const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON.parse with each number as a JsonDecimal. @throws SyntaxError for text that is not JSON */
export function parseTopJson(text: string): unknown {
  // A per-call marker, escaped the way JSON writes U+0001, so no string in the answer can pose as a number.
  const marker = `\u0001${randomBytes(8).toString('hex')}:`;
  const escaped = `\\u0001${marker.slice(1)}`;
  const quoted = text.replace(TOKEN, (token) => (token.startsWith('"') ? token : `"${escaped}${token}"`));
  return JSON.parse(quoted, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(marker) ? new JsonDecimal(value.slice(marker.length)) : value));
}

/** One trade (or any answer part) as JSON text, numbers written as they came. */
export function stringifyTopJson(value: unknown): string {
  return stringifyWithDecimals(value);
}

/**
 * A scalar of a TOP answer as text: strings as they are, numbers by their literal (JsonDecimal, or
 * a plain number when the body went through JSON.parse), booleans as "true"/"false".
 */
export function topText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof JsonDecimal) return value.literal;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** TOP wraps every list in an object named for its element: `"orders": { "order": [ … ] }`. */
export function topList(value: unknown, element: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const list = (value as Record<string, unknown>)[element];
  return Array.isArray(list) ? list : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonDecimal);
}
