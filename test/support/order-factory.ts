import { createHash, randomUUID } from 'node:crypto';
import { canonicalOrderSchema } from '../../core/order/order.schema';
import type { CanonicalOrder } from '../../core/order/order.types';
import { computeTotals } from '../../core/order/totals';

/** The instant every made order is created at unless overridden, so tests read the same every run. */
export const ORDER_CREATED_AT = '2026-03-02T08:00:00.000Z';

/**
 * A valid CanonicalOrder (it passes `canonicalOrderSchema.parse`) for tests. Each call gets a fresh
 * id and a fresh contentHash, so two made orders are never duplicates unless a test says so.
 * Overrides replace whole top-level fields; `totals` is computed from the final lines unless given.
 */
export function makeOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const id = overrides.id ?? `ord-${randomUUID()}`;
  const createdAt = overrides.createdAt ?? ORDER_CREATED_AT;
  const base = {
    id,
    version: 1,
    status: 'received',
    createdAt,
    updatedAt: createdAt,
    poNumber: 'PO-1001',
    customer: { id: 'CUST-1', name: 'Acme Build Co.' },
    currency: 'CNY',
    lines: [
      { lineNo: 1, sku: 'PANEL-A', quantity: '10', uom: 'EA', unitPrice: '120.00', taxRatePct: '13' },
      { lineNo: 2, sku: 'BRACKET-B', quantity: '2.5', uom: 'KG', unitPrice: '8.40' },
    ],
    source: { connectorId: 'rest', channel: 'rest', receivedAt: createdAt, rawMessageId: `raw-${id}` },
    contentHash: createHash('sha256').update(randomUUID()).digest('hex'),
    approvals: [],
    reservations: [],
    partnerRefs: [],
    history: [],
  };
  const merged = { ...base, ...overrides };
  return canonicalOrderSchema.parse({ ...merged, totals: overrides.totals ?? computeTotals(merged) });
}
