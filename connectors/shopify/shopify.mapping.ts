import { z } from 'zod';
import { ValidationError } from '../../core/errors/validation.error';
import { Dec, dec, sum, toMoney } from '../../core/order/money';
import type { OrderDraftInput } from '../../core/order/order.types';
import { jsonAmount, jsonValue, readPayload } from '../shared/payload-reader';
import type { ShopOrderMapping } from '../shop/shop-platform';

/**
 * A Shopify REST Admin API order (https://shopify.dev/docs/api/admin-rest/latest/resources/order,
 * the same shape the `orders/*` webhooks carry) in the hub's words. Pure: no I/O.
 *
 * Totals: the hub's lines carry net unit prices with a tax rate, and its totals cover lines only.
 * Shipping, duties and tips are not lines, so `current_total_price` (which includes them) is not
 * claimed as the gross; the claimed figures are Shopify's own for the goods: `current_subtotal_price`
 * as net and the line items' `tax_lines` as tax. With `taxes_included` a line price contains its
 * tax: the net unit price is price ÷ (1 + rate) to 10 places, and only the tax is claimed, because
 * Shopify's subtotal then includes tax. Any cent the two roundings differ by is a visible
 * `totals.mismatch` warning on the order, never adjusted away.
 */

const ERROR_CODE = 'shopify.order_invalid';
const HUNDRED = new Dec(100);
/** The hub's decimal strings hold at most 10 decimal places (DECIMAL_PATTERN). */
const UNIT_PRICE_PLACES = 10;

const platformId = z.union([z.number().int().refine(Number.isSafeInteger, 'is beyond 2^53, cannot be read exactly'), z.string().regex(/^\d+$/)]).transform(String);
const text = z.string().nullish();

const address = z
  .object({
    name: text,
    first_name: text,
    last_name: text,
    company: text,
    address1: text,
    address2: text,
    city: text,
    province: text,
    province_code: text,
    zip: text,
    country_code: text,
    phone: text,
  })
  .nullish();

const taxLine = z.object({ rate: z.number().nonnegative(), price: jsonAmount });

const lineItem = z.object({
  sku: text,
  title: z.string(),
  name: text,
  quantity: z.number().int().nonnegative(),
  /** Quantity less what order edits removed and refunds took back (API 2023-01 on). */
  current_quantity: z.number().int().nonnegative().optional(),
  price: jsonAmount,
  discount_allocations: z.array(z.object({ amount: jsonAmount })).default([]),
  tax_lines: z.array(taxLine).default([]),
});

export const shopifyOrderRef = z.object({
  id: platformId,
  updated_at: z.iso.datetime({ offset: true }),
});

const shopifyOrder = shopifyOrderRef.extend({
  name: z.string().min(1),
  po_number: text,
  email: text,
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
  taxes_included: z.boolean().default(false),
  cancelled_at: text,
  financial_status: text,
  payment_gateway_names: z.array(z.string()).default([]),
  note: text,
  customer: z.object({ id: platformId.optional(), first_name: text, last_name: text, email: text, phone: text }).nullish(),
  billing_address: address,
  shipping_address: address,
  line_items: z.array(lineItem).min(1, 'an order needs at least one line item'),
  shipping_lines: z.array(z.object({ title: text, price: jsonAmount })).default([]),
  subtotal_price: jsonAmount.optional(),
  current_subtotal_price: jsonAmount.optional(),
});

type ShopifyOrder = z.output<typeof shopifyOrder>;
type ShopifyAddress = z.output<typeof address>;
type ShopifyLineItem = z.output<typeof lineItem>;

/** Financial states in which nothing is owed and nothing will ship. */
const CANCELLING_FINANCIAL_STATUS = new Set(['refunded', 'voided']);

/** Identity and version of an order, for the raw store's key; normalised to UTC so versions compare as strings. */
export function readShopifyOrderRef(json: unknown): { platformOrderId: string; updatedAt: string } {
  const ref = readPayload(shopifyOrderRef, json, 'Shopify order', ERROR_CODE);
  return { platformOrderId: ref.id, updatedAt: new Date(ref.updated_at).toISOString() };
}

/** @throws ValidationError `shopify.order_invalid` naming the field as a path in Shopify's JSON */
export function mapShopifyOrder(body: unknown): ShopOrderMapping {
  const order = readPayload(shopifyOrder, jsonValue(body, ERROR_CODE), 'Shopify order', ERROR_CODE);
  const cancelled = Boolean(order.cancelled_at) || CANCELLING_FINANCIAL_STATUS.has(order.financial_status ?? '');
  const items = linesToShip(order, cancelled);
  const lines = items.map((kept, i) => line(kept, i + 1, order.taxes_included));
  const draft: OrderDraftInput = {
    orderNumber: order.name,
    poNumber: order.po_number || order.name,
    customer: customerOf(order),
    ...defined({ shipTo: addressOf(order.shipping_address), billTo: addressOf(order.billing_address) }),
    currency: order.currency,
    ...defined({ paymentTerms: paymentOf(order), notes: notesOf(order) }),
    lines,
    ...defined({ claimedTotals: claimedTotals(order, items) }),
  };
  return { platformOrderId: order.id, draft, cancelled };
}

interface ItemToShip {
  readonly item: ShopifyLineItem;
  readonly index: number;
  readonly quantity: number;
}

/**
 * The quantities still to ship: an order edit or refund lowers `current_quantity`, and a line down
 * to 0 is no longer part of the order. A cancelled order keeps its original lines as the record.
 */
function linesToShip(order: ShopifyOrder, cancelled: boolean): ItemToShip[] {
  const current = order.line_items.map((item, index) => ({ item, index, quantity: item.current_quantity ?? item.quantity }));
  const kept = current.filter((l) => l.quantity > 0);
  if (kept.length > 0) return kept;
  if (cancelled) return order.line_items.map((item, index) => ({ item, index, quantity: item.quantity })).filter((l) => l.quantity > 0);
  throw new ValidationError('no line item has a quantity left to ship', [{ path: 'line_items', message: 'every current_quantity is 0' }], ERROR_CODE);
}

function line({ item, index, quantity }: ItemToShip, lineNo: number, taxesIncluded: boolean): OrderDraftInput['lines'][number] {
  if (!item.sku?.trim()) {
    throw new ValidationError(`line item "${item.title}" has no SKU`, [{ path: `line_items[${index}].sku`, message: 'empty; give the variant a SKU in Shopify so the hub can check stock and price' }], ERROR_CODE);
  }
  const rate = item.tax_lines.length > 0 ? sum(item.tax_lines.map((t) => dec(String(t.rate)))) : undefined;
  const price = dec(item.price);
  const unitPrice = taxesIncluded && rate ? price.dividedBy(rate.plus(1)).toDecimalPlaces(UNIT_PRICE_PLACES).toFixed() : item.price;
  // Allocations are for the quantity ordered, so the percentage is taken of that.
  const gross = price.times(item.quantity);
  const discount = sum(item.discount_allocations.map((d) => dec(d.amount)));
  return {
    lineNo,
    sku: item.sku.trim(),
    description: item.name || item.title,
    quantity: String(quantity),
    unitPrice,
    ...(discount.greaterThan(0) && gross.greaterThan(0) ? { discountPct: discount.dividedBy(gross).times(HUNDRED).toDecimalPlaces(UNIT_PRICE_PLACES).toFixed() } : {}),
    ...(rate ? { taxRatePct: rate.times(HUNDRED).toFixed() } : {}),
  };
}

/** The buyer's company when the billing address names one (B2B), else the person, else the e-mail. */
function customerOf(order: ShopifyOrder): OrderDraftInput['customer'] {
  const person = personName(order.customer) || order.billing_address?.name?.trim() || personName(order.billing_address);
  const email = order.email || order.customer?.email || undefined;
  const company = order.billing_address?.company?.trim();
  const name = company || person || email;
  if (!name) throw new ValidationError('the order names no customer', [{ path: 'customer', message: 'no customer name, billing name, company or e-mail' }], ERROR_CODE);
  const phone = order.customer?.phone || order.billing_address?.phone || undefined;
  return {
    ...(order.customer?.id ? { id: order.customer.id } : {}),
    name,
    contact: defined({ name: person, email, phone }),
  };
}

function personName(who: { first_name?: string | null | undefined; last_name?: string | null | undefined } | null | undefined): string | undefined {
  const name = [who?.first_name, who?.last_name].filter((part) => part?.trim()).join(' ').trim();
  return name || undefined;
}

function addressOf(a: ShopifyAddress): OrderDraftInput['shipTo'] {
  if (!a) return undefined;
  const street = [a.address1, a.address2].filter((part) => part?.trim()).join(', ');
  const country = a.country_code?.toUpperCase();
  const result = defined({
    name: a.name?.trim() || personName(a) || a.company || undefined,
    street: street || undefined,
    city: a.city || undefined,
    region: a.province_code || a.province || undefined,
    postalCode: a.zip || undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
  });
  return Object.keys(result).length > 0 ? result : undefined;
}

/** How the buyer pays: Shopify orders are mostly paid at checkout, which reviewers want to see. */
function paymentOf(order: ShopifyOrder): string | undefined {
  if (!order.financial_status) return undefined;
  const gateways = order.payment_gateway_names.length > 0 ? ` via ${order.payment_gateway_names.join(', ')}` : '';
  return `Shopify: ${order.financial_status}${gateways}`.slice(0, 200);
}

/** The buyer's note and the shipping charged, which the hub has no lines for. */
function notesOf(order: ShopifyOrder): string | undefined {
  const shipping = order.shipping_lines.map((s) => `Shipping: ${s.title ?? 'shipping'} ${s.price} ${order.currency}`);
  const notes = [order.note?.trim(), ...shipping].filter(Boolean).join('\n');
  return notes ? notes.slice(0, 5000) : undefined;
}

function claimedTotals(order: ShopifyOrder, items: readonly ItemToShip[]): OrderDraftInput['claimedTotals'] {
  // tax_lines are for the quantity ordered; once a line was edited or refunded they no longer match the lines kept.
  const unchanged = items.every(({ item, quantity }) => quantity === item.quantity);
  const taxed = items.some(({ item }) => item.tax_lines.length > 0);
  const tax = unchanged && taxed ? toMoney(sum(items.flatMap(({ item }) => item.tax_lines.map((t) => dec(t.price)))), order.currency) : undefined;
  const subtotal = order.current_subtotal_price ?? order.subtotal_price;
  const net = !order.taxes_included && subtotal !== undefined ? subtotal : undefined;
  const claimed = defined({ net, tax });
  return Object.keys(claimed).length > 0 ? claimed : undefined;
}

/** The object without its undefined members, so optional draft fields stay absent rather than present-but-undefined. */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
