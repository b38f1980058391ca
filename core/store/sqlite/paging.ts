import { ValidationError } from '../../errors/validation.error';
import type { Page } from '../store.port';

/** Page size when a query names none. */
export const DEFAULT_LIMIT = 50;
/** better-sqlite3 reads synchronously: a bigger page would stall the event loop, and every request with it. */
export const MAX_LIMIT = 500;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** A keyset position: the sort key and id of the last item handed out. */
export type KeysetPosition = readonly [sortKey: string, id: string];

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return [value[0] as string, value[1] as string];
    }
  } catch {
    // Falls through to the same error as a well-formed but foreign value.
  }
  throw new ValidationError('invalid page cursor', [{ path: 'cursor', message: 'not a cursor this store handed out' }], 'query.invalid_cursor');
}

/**
 * Rows were fetched with LIMIT limit + 1: the extra row only proves there is a next page, and the
 * cursor points at the last row actually returned.
 */
export function toPage<R, T>(rows: readonly R[], limit: number, positionOf: (row: R) => KeysetPosition, map: (row: R) => T): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return rows.length > limit && last !== undefined ? { items: kept.map(map), nextCursor: encodeCursor(positionOf(last)) } : { items: kept.map(map) };
}

/** An instant as sortable text: UTC, millisecond precision, so text order is time order. */
export function toUtc(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ValidationError(`${field} is not a date or date-time`, [{ path: field, message: `"${value}" is not an ISO date or date-time` }]);
  }
  return new Date(ms).toISOString();
}
