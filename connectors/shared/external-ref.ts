import { createHash } from 'node:crypto';

/**
 * A short, stable stand-in for a delivery's idempotency key (`orderId:event:target`, 60 characters
 * and more), for ERP fields too short to hold the key itself, such as document numbers (Kingdee
 * FBillNo, U8 cSOCode). 'OH' and the first 16 hex digits of its SHA-256: 64 bits, so two deliveries
 * would share a reference only after billions of them. The same key always gives the same reference,
 * which is what lets a retry find the document a lost reply created.
 */
export function compactRef(idempotencyKey: string): string {
  return `OH${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16).toUpperCase()}`;
}
