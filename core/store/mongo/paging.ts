import { ValidationError } from '../../errors/validation.error';
import type { Page } from '../store.port';

/** @defaultValue page size when a query names none */
export const DEFAULT_LIMIT = 50;
/** The port's ceiling: a page is read into memory whole, bodies and all. */
export const MAX_LIMIT = 500;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** A keyset position: the sort instant and `_id` of the last item handed out. */
export interface KeysetPosition {
  readonly time: Date;
  readonly id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.time.toISOString(), position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const time = new Date(value[0]);
      if (!Number.isNaN(time.getTime())) return { time, id: value[1] };
    }
  } catch {
    // Falls through to the same error as a well-formed but foreign value.
  }
  throw new ValidationError('invalid page cursor', [{ path: 'cursor', message: 'not a cursor this store handed out' }], 'query.invalid_cursor');
}

/**
 * Items strictly beyond `position` in the order (timeField, _id), ascending or descending: the
 * keyset condition that continues a page without skipping or repeating items that share an instant.
 */
export function beyond(timeField: string, position: KeysetPosition, order: 'asc' | 'desc'): Record<string, unknown> {
  const op = order === 'asc' ? '$gt' : '$lt';
  return { $or: [{ [timeField]: { [op]: position.time } }, { [timeField]: position.time, _id: { [op]: position.id } }] };
}

/**
 * Documents were fetched with limit + 1: the extra one only proves there is a next page, and the
 * cursor points at the last document actually returned.
 */
export function toPage<D, T>(docs: readonly D[], limit: number, positionOf: (doc: D) => KeysetPosition, map: (doc: D) => T): Page<T> {
  const kept = docs.slice(0, limit);
  const last = kept[kept.length - 1];
  return docs.length > limit && last !== undefined ? { items: kept.map(map), nextCursor: encodeCursor(positionOf(last)) } : { items: kept.map(map) };
}

/** An ISO date or date-time as an instant; stored beside the original string for sorting and ranges. */
export function toInstant(value: string, field: string): Date {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ValidationError(`${field} is not a date or date-time`, [{ path: field, message: `"${value}" is not an ISO date or date-time` }]);
  }
  return new Date(ms);
}
