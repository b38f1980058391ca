import { z } from 'zod';
import { DECIMAL_PATTERN } from './money';

/**
 * The canonical order: the one definition. Types (order.types.ts), the JSON Schema handed to
 * partners (order.json-schema.ts) and the REST API's validation all come from here.
 */

export const decimalString = z
  .string()
  .regex(DECIMAL_PATTERN, 'a decimal number as a string, e.g. "12.50"')
  .meta({ description: 'Decimal number as a string; never a float.', examples: ['12.50'] });

export const positiveDecimal = decimalString.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), 'must be greater than zero');
export const nonNegativeDecimal = decimalString.refine((v) => !v.startsWith('-'), 'must not be negative');

/** ISO date (no time): delivery dates are days, in the business's calendar. */
export const isoDate = z.iso.date().meta({ description: 'Calendar date, YYYY-MM-DD.', examples: ['2026-12-15'] });
export const isoDateTime = z.iso.datetime({ offset: true });

export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY or USD');

export const contactSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  email: z.email().optional(),
  phone: z.string().max(50).optional(),
});

export const addressSchema = z.object({
  name: z.string().max(200).optional(),
  street: z.string().max(500).optional(),
  city: z.string().max(200).optional(),
  region: z.string().max(200).optional(),
  postalCode: z.string().max(20).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code such as CN').optional(),
});

export const customerSchema = z.object({
  id: z.string().max(100).optional(),
  name: z.string().min(1, 'customer name is required').max(200),
  taxId: z.string().max(50).optional(),
  contact: contactSchema.optional(),
});

export const orderLineSchema = z.object({
  lineNo: z.number().int().positive(),
  sku: z.string().min(1, 'product model (SKU) is required').max(100),
  customerSku: z.string().max(100).optional(),
  description: z.string().max(1000).optional(),
  quantity: positiveDecimal,
  uom: z.string().min(1).max(20).default('EA'),
  unitPrice: nonNegativeDecimal,
  /** Percent off the line's gross price, 0–100. */
  discountPct: nonNegativeDecimal.optional(),
  /** Percent, e.g. "13" for China's standard VAT. */
  taxRatePct: nonNegativeDecimal.optional(),
  requestedDate: isoDate.optional(),
});

export const totalsSchema = z.object({
  net: decimalString,
  tax: decimalString,
  gross: decimalString,
});

export const orderSourceSchema = z.object({
  connectorId: z.string().min(1),
  channel: z.string().min(1),
  externalId: z.string().max(200).optional(),
  poNumber: z.string().max(100).optional(),
  receivedAt: isoDateTime,
  rawMessageId: z.string().min(1),
  /** Overall extraction confidence 0–1, for sources that read rather than parse (OCR). */
  confidence: z.number().min(0).max(1).optional(),
});

/**
 * What a parser or the REST API hands to intake: the business content of an order, before the hub
 * assigns identity, status and computed totals. `claimedTotals` is what the source says the totals
 * are; the hub computes its own and cross-checks.
 */
export const orderDraftSchema = z.object({
  orderNumber: z.string().max(100).optional(),
  poNumber: z.string().min(1).max(100).optional(),
  customer: customerSchema,
  /** The salesperson who owns the order (e.g. who forwarded the customer's email); sees it in their list. */
  owner: contactSchema.optional(),
  shipTo: addressSchema.optional(),
  billTo: addressSchema.optional(),
  currency: currencyCode,
  paymentTerms: z.string().max(200).optional(),
  incoterms: z.string().max(20).optional(),
  requestedDeliveryDate: isoDate.optional(),
  specialRequirements: z.string().max(2000).optional(),
  notes: z.string().max(5000).optional(),
  lines: z.array(orderLineSchema).min(1, 'an order needs at least one line').max(10_000),
  claimedTotals: totalsSchema.partial().optional(),
});

export const issueSeverity = z.enum(['error', 'warning']);

/** One finding of a rule: `path` names the field, `code` is stable (`stock.shortage`). */
export const issueSchema = z.object({
  rule: z.string(),
  code: z.string(),
  severity: issueSeverity,
  path: z.string(),
  message: z.string(),
});

export const orderStatus = z.enum([
  'received',
  'checked',
  'needs_review',
  'confirmed',
  'in_fulfillment',
  'shipped',
  'delivered',
  'accepted',
  'invoiced',
  'closed',
  'rejected',
  'cancelled',
  'on_hold',
]);

export const approvalSchema = z.object({
  step: z.string(),
  role: z.string(),
  decision: z.enum(['approved', 'rejected']),
  actor: z.string(),
  at: isoDateTime,
  comment: z.string().max(2000).optional(),
});

export const reservationSchema = z.object({
  sku: z.string(),
  quantity: decimalString,
  location: z.string(),
});

export const capacityBookingSchema = z.object({
  date: isoDate,
  units: decimalString,
});

export const partnerRefSchema = z.object({
  target: z.string(),
  event: z.string(),
  ref: z.string(),
  at: isoDateTime,
});

export const shipmentEventSchema = z.object({
  eventId: z.string(),
  at: isoDateTime,
  status: z.enum(['picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception']),
  location: z.string().optional(),
  description: z.string().optional(),
});

export const shipmentSchema = z.object({
  carrier: z.string(),
  trackingNumber: z.string(),
  /** The furthest status reached, by the events' own times: a late event never moves it back. */
  status: z.enum(['created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception']),
  events: z.array(shipmentEventSchema).default([]),
});

export const historyEntrySchema = z.object({
  at: isoDateTime,
  type: z.string(),
  actor: z.string(),
  from: orderStatus.optional(),
  to: orderStatus.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const canonicalOrderSchema = orderDraftSchema.extend({
  id: z.string().min(1),
  version: z.number().int().nonnegative(),
  status: orderStatus,
  /** The status an order on hold returns to when released. */
  heldFrom: orderStatus.optional(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  source: orderSourceSchema,
  contentHash: z.string(),
  totals: totalsSchema,
  checks: z.object({ issues: z.array(issueSchema), checkedAt: isoDateTime }).optional(),
  review: z.object({ requiredRoles: z.array(z.string()) }).optional(),
  approvals: z.array(approvalSchema).default([]),
  reservations: z.array(reservationSchema).default([]),
  capacityBookings: z.array(capacityBookingSchema).default([]),
  partnerRefs: z.array(partnerRefSchema).default([]),
  shipments: z.array(shipmentSchema).default([]),
  history: z.array(historyEntrySchema).default([]),
});
