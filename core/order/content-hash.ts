import { createHash } from 'node:crypto';
import { customerKey } from '../store/store.port';
import { dec } from './money';
import type { OrderDraft } from './order.types';

/**
 * Fingerprint of what an order asks for, independent of how it was written: the same customer,
 * lines (decimals normalised, so "10" and "10.00" match), dates and ship-to give the same hash.
 * The duplicate rule compares it across orders that came by different channels.
 */
export function orderContentHash(draft: OrderDraft): string {
  const canonical = {
    customer: customerKey(draft.customer),
    currency: draft.currency,
    requestedDeliveryDate: draft.requestedDeliveryDate ?? null,
    shipTo: draft.shipTo ?? null,
    lines: draft.lines
      .map((l) => [l.sku, dec(l.quantity).toString(), l.uom, dec(l.unitPrice).toString(), l.requestedDate ?? null])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
