import { z } from 'zod';
import { isoDate, isoDateTime } from '../../core/order/order.schema';

/** Largest page a list endpoint returns; the store port caps at the same figure. */
export const MAX_PAGE_SIZE = 500;

/** Query strings carry text, so numbers are matched as digits first: `?limit=abc` reads "must be a whole number". */
export const limitParam = z
  .string()
  .regex(/^\d+$/, 'a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
  .optional();

export const cursorParam = z.string().min(1).optional();

/** A day (`2026-01-31`) or an instant (`2026-01-31T08:00:00Z`), as the store's date filters take. */
export const instantParam = z
  .string()
  .refine((v) => isoDate.safeParse(v).success || isoDateTime.safeParse(v).success, 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time')
  .optional();
