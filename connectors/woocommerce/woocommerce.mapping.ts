import { z } from 'zod';
import { ValidationError } from '../../core/errors/validation.error';
import { Dec, dec, sum, toMoney } from '../../core/order/money';
import type { OrderDraftInput } from '../../core/order/order.types';
import { jsonAmount, jsonValue, readPayload } from '../shared/payload-reader';
import type { ShopOrderMapping } from '../shop/shop-platform';

/**
 * A WooCommerce REST API v3 order (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties,
 * the same shape its `order.*` webhooks carry) in the hub's words. Pure: no I/O.
 *
 * Prices: a line's `price` is a JSON number WooCommerce computes as subtotal ÷ quantity in PHP
 * floats, so it is not read. The unit price is the line's `subtotal` (a decimal string, before
 * discounts, excluding tax whether or not the store enters prices with tax) divided by the quantity
 * with decimal.js, to 10 places when it does not divide evenly; the discount is the difference to
 * `total` as a percentage; the tax rate is the `rate_percent` of the order's tax lines the line's
 * `taxes` name (summed; a compound rate is summed too, which understates it slightly).
 *
 * Totals: the hub's lines carry no shipping or fees, so the claimed figures are WooCommerce's own
 * for the goods: `cart_tax` ("sum of line item taxes only") as tax, and the grand `total` less all
 * tax, shipping and fees as net. A store rounding tax at subtotal rather than per line may differ by
 * a cent; that shows as a `totals.mismatch` warning, never adjusted away.
 */

const ERROR_CODE = 'woocommerce.order_invalid';
const HUNDRED = new Dec(100);
/** The hub's decimal strings hold at most 10 decimal places (DECIMAL_PATTERN). */
const PLACES = 10;
/** Statuses in which the order will not ship (https://woocommerce.com/document/managing-orders/order-statuses/). */
const CANCELLED_STATUSES = new Set(['cancelled', 'refunded', 'failed', 'trash']);

const text = z.string().nullish();
const id = z.number().int().nonnegative();

const address = z
  .object({
    first_name: text,
    last_name: text,
    company: text,
    address_1: text,
    address_2: text,
    city: text,
    state: text,
    postcode: text,
    country: text,
    email: text,
    phone: text,
  })
  .nullish();

const lineItem = z.object({
  name: z.string(),
  sku: text,
  quantity: z.number().positive(),
  subtotal: jsonAmount,
  total: jsonAmount,
  taxes: z.array(z.object({ id, total: z.union([z.string(), z.number()]).nullish() })).default([]),
});

/** WooCommerce writes GMT times without a zone: `2026-03-22T16:28:08`. */
const gmtTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'a GMT time such as 2026-03-22T16:28:08')
  .transform((t) => new Date(`${t}Z`).toISOString());

export const wooOrderRef = z.object({ id: id.refine((n) => n > 0, 'must be a positive order id'), date_modified_gmt: gmtTime });

const wooOrder = wooOrderRef.extend({
  number: z.string().min(1),
  status: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
  customer_id: id.default(0),
  customer_note: text,
  payment_method_title: text,
  date_paid_gmt: text,
  billing: address,
  shipping: address,
  line_items: z.array(lineItem).min(1, 'an order needs at least one line item'),
  tax_lines: z.array(z.object({ rate_id: id, rate_percent: z.number().nonnegative().optional() })).default([]),
  shipping_lines: z.array(z.object({ method_title: text, total: jsonAmount })).default([]),
  fee_lines: z.array(z.object({ name: text, total: jsonAmount })).default([]),
  total: jsonAmount,
  total_tax: jsonAmount,
  shipping_total: jsonAmount.default('0'),
  cart_tax: jsonAmount.optional(),
});

type WooOrder = z.output<typeof wooOrder>;
type WooAddress = z.output<typeof address>;
type WooLineItem = z.output<typeof lineItem>;

/** Identity and version of an order, for the raw store's key. */
export function readWooOrderRef(json: unknown): { platformOrderId: string; updatedAt: string } {
  const ref = readPayload(wooOrderRef, json, 'WooCommerce order', ERROR_CODE);
  return { platformOrderId: String(ref.id), updatedAt: ref.date_modified_gmt };
}

/** @throws ValidationError `woocommerce.order_invalid` naming the field as a path in WooCommerce's JSON */
export function mapWooOrder(body: unknown): ShopOrderMapping {
  const order = readPayload(wooOrder, jsonValue(body, ERROR_CODE), 'WooCommerce order', ERROR_CODE);
  const rates = new Map(order.tax_lines.flatMap((t) => (t.rate_percent === undefined ? [] : [[t.rate_id, dec(String(t.rate_percent))] as const])));
  const draft: OrderDraftInput = {
    orderNumber: order.number,
    poNumber: order.number,
    customer: customerOf(order),
    ...defined({ shipTo: addressOf(order.shipping), billTo: addressOf(order.billing) }),
    currency: order.currency,
    ...defined({ paymentTerms: paymentOf(order), notes: notesOf(order) }),
    lines: order.line_items.map((item, i) => line(item, i, rates)),
    claimedTotals: claimedTotals(order),
  };
  return { platformOrderId: String(order.id), draft, cancelled: CANCELLED_STATUSES.has(order.status) };
}

function line(item: WooLineItem, index: number, rates: ReadonlyMap<number, Dec>): OrderDraftInput['lines'][number] {
  if (!item.sku?.trim()) {
    throw new ValidationError(`line item "${item.name}" has no SKU`, [{ path: `line_items[${index}].sku`, message: 'empty; give the product a SKU in WooCommerce so the hub can check stock and price' }], ERROR_CODE);
  }
  const subtotal = dec(item.subtotal);
  const total = dec(item.total);
  const applied = item.taxes.filter((t) => t.total !== '' && t.total !== null && t.total !== undefined && rates.has(t.id));
  const discount = subtotal.minus(total);
  return {
    lineNo: index + 1,
    sku: item.sku.trim(),
    description: item.name,
    quantity: dec(item.quantity).toFixed(),
    unitPrice: subtotal.dividedBy(item.quantity).toDecimalPlaces(PLACES).toFixed(),
    ...(discount.greaterThan(0) && subtotal.greaterThan(0) ? { discountPct: discount.dividedBy(subtotal).times(HUNDRED).toDecimalPlaces(PLACES).toFixed() } : {}),
    ...(applied.length > 0 ? { taxRatePct: sum(applied.map((t) => rates.get(t.id)!)).toFixed() } : {}),
  };
}

/** The company when the billing address names one (B2B), else the person, else the e-mail. */
function customerOf(order: WooOrder): OrderDraftInput['customer'] {
  const person = personName(order.billing) || personName(order.shipping);
  const email = order.billing?.email || undefined;
  const name = order.billing?.company?.trim() || person || email;
  if (!name) throw new ValidationError('the order names no customer', [{ path: 'billing', message: 'no billing company, name or e-mail' }], ERROR_CODE);
  return {
    ...(order.customer_id > 0 ? { id: String(order.customer_id) } : {}),
    name,
    contact: defined({ name: person, email, phone: order.billing?.phone || undefined }),
  };
}

function personName(who: WooAddress): string | undefined {
  const name = [who?.first_name, who?.last_name].filter((part) => part?.trim()).join(' ').trim();
  return name || undefined;
}

function addressOf(a: WooAddress): OrderDraftInput['shipTo'] {
  if (!a) return undefined;
  const street = [a.address_1, a.address_2].filter((part) => part?.trim()).join(', ');
  const country = a.country?.toUpperCase();
  const result = defined({
    name: personName(a) || a.company || undefined,
    street: street || undefined,
    city: a.city || undefined,
    region: a.state || undefined,
    postalCode: a.postcode || undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
  });
  // Billing holds e-mail and phone too; an address is only one when it says where.
  return result.street || result.city || result.postalCode ? result : undefined;
}

function paymentOf(order: WooOrder): string | undefined {
  if (!order.payment_method_title) return undefined;
  return `WooCommerce: ${order.payment_method_title}, ${order.date_paid_gmt ? 'paid' : 'not paid yet'}`.slice(0, 200);
}

/** The buyer's note, and the shipping and fees charged, which the hub has no lines for. */
function notesOf(order: WooOrder): string | undefined {
  const charges = [
    ...order.shipping_lines.map((s) => `Shipping: ${s.method_title ?? 'shipping'} ${s.total} ${order.currency}`),
    ...order.fee_lines.map((f) => `Fee: ${f.name ?? 'fee'} ${f.total} ${order.currency}`),
  ];
  const notes = [order.customer_note?.trim(), ...charges].filter(Boolean).join('\n');
  return notes ? notes.slice(0, 5000) : undefined;
}

function claimedTotals(order: WooOrder): NonNullable<OrderDraftInput['claimedTotals']> {
  const charges = sum([dec(order.shipping_total), ...order.fee_lines.map((f) => dec(f.total))]);
  const net = dec(order.total).minus(dec(order.total_tax)).minus(charges);
  return { net: toMoney(net, order.currency), ...(order.cart_tax !== undefined ? { tax: order.cart_tax } : {}) };
}

function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
