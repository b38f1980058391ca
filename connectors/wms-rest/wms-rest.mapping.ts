import { z } from 'zod';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import { nonNegativeDecimal } from '../../core/order/order.schema';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { StockLevel } from '../../core/store/store.port';
import type { PartnerReply } from '../shared/http-client';
import { issuesToDetails } from '../rest-api/zod-details';
import type { WmsRestConfig } from './wms-rest.config';

/**
 * The hub's generic WMS contract (README.md): the canonical order as an outbound delivery, the
 * WMS's delivery number back, and stock as cursor-paged `{ sku, location, onHand }` rows.
 * Quantities are decimal strings both ways; a JSON number is accepted only when it is a safe
 * integer, because a fractional JSON number has already been through a float.
 */

/** The outbound delivery body: our order id is the WMS's external reference, so the two stay linked. */
export function outboundDelivery(order: CanonicalOrder, config: WmsRestConfig): string {
  return JSON.stringify({
    externalReference: order.id,
    orderNumber: order.orderNumber,
    poNumber: order.poNumber,
    warehouse: config.warehouse,
    requestedDeliveryDate: order.requestedDeliveryDate,
    customer: { id: order.customer.id, name: order.customer.name },
    shipTo: order.shipTo,
    contact: order.customer.contact,
    specialRequirements: order.specialRequirements,
    lines: order.lines.map((line) => ({ lineNo: line.lineNo, sku: line.sku, description: line.description, quantity: line.quantity, uom: line.uom })),
  });
}

const deliveryAnswer = z.object({ deliveryNumber: z.string().min(1).max(100) });

/**
 * The WMS's delivery number from a 2xx answer.
 * @throws PermanentPartnerError when the answer names none: the attempt is failed with the body kept
 */
export function deliveryNumber(reply: PartnerReply): string {
  const parsed = deliveryAnswer.safeParse(parseJson(reply.body));
  if (!parsed.success) {
    throw new PermanentPartnerError('WMS answered without a deliveryNumber', { status: reply.status, body: reply.keptBody });
  }
  return parsed.data.deliveryNumber;
}

const quantity = z.union([nonNegativeDecimal, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform(String);

const stockPage = z.object({
  items: z.array(z.object({ sku: z.string().min(1).max(100), location: z.string().min(1).max(100), onHand: quantity })),
  /** Absent or null on the last page. */
  nextCursor: z.string().min(1).max(1000).nullish(),
});

export interface StockPage {
  readonly levels: StockLevel[];
  readonly nextCursor?: string;
}

/**
 * One page of stock, validated whole: a single bad row fails the sync before anything is written.
 * @throws ValidationError naming each bad field as `stock.pages[n].items[i].onHand`
 */
export function readStockPage(body: string, page: number): StockPage {
  const parsed = stockPage.safeParse(parseJson(body), { reportInput: true });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues, `stock.pages[${page}]`);
    throw new ValidationError(`WMS stock page ${page} is malformed: ${details.map((d) => d.path).join(', ')}`, details, 'wms.stock_malformed');
  }
  return { levels: parsed.data.items, nextCursor: parsed.data.nextCursor ?? undefined };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
