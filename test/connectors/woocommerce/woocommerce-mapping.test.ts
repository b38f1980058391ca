import { validationFailure } from '../../support/validation-failure';
import { mapWooOrder, readWooOrderRef } from '../../../connectors/woocommerce/woocommerce.mapping';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { computeTotals, crossCheckTotals } from '../../../core/order/totals';

/**
 * WooCommerce order JSON → canonical draft. Payloads follow the REST API v3 order properties
 * (https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties): money as strings,
 * the line `price` and tax `rate_percent` as JSON numbers, GMT times without a zone.
 */

function wooOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 727,
    number: '727',
    status: 'processing',
    currency: 'USD',
    date_modified_gmt: '2026-03-22T16:28:08',
    prices_include_tax: false,
    customer_id: 26,
    customer_note: 'Leave at the loading dock',
    payment_method_title: 'Direct Bank Transfer',
    date_paid_gmt: null,
    billing: { first_name: 'Lei', last_name: 'Zhang', company: '', address_1: '969 Market', address_2: '', city: 'San Francisco', state: 'CA', postcode: '94103', country: 'US', email: 'lei.zhang@example.com', phone: '(555) 555-5555' },
    shipping: { first_name: 'Lei', last_name: 'Zhang', company: '', address_1: '969 Market', address_2: 'Suite 4', city: 'San Francisco', state: 'CA', postcode: '94103', country: 'US' },
    line_items: [
      { id: 315, name: 'Woo Single #1', sku: 'PUMP-200', quantity: 3, subtotal: '10.00', subtotal_tax: '1.30', total: '10.00', total_tax: '1.30', taxes: [{ id: 75, total: '1.3', subtotal: '1.3' }], price: 3.3333333333333335 },
      { id: 316, name: 'Ship Your Idea', sku: 'VALVE-DN50', quantity: 1, subtotal: '100.00', subtotal_tax: '11.70', total: '90.00', total_tax: '11.70', taxes: [{ id: 75, total: '11.7', subtotal: '13' }], price: 100 },
    ],
    tax_lines: [{ id: 318, rate_code: 'US-CA-STATE TAX', rate_id: 75, label: 'State Tax', compound: false, tax_total: '13.00', shipping_tax_total: '0.00', rate_percent: 13 }],
    shipping_lines: [{ id: 317, method_title: 'Flat Rate', method_id: 'flat_rate', total: '10.00', total_tax: '0.00' }],
    fee_lines: [],
    discount_total: '10.00',
    shipping_total: '10.00',
    cart_tax: '13.00',
    total: '123.00',
    total_tax: '13.00',
    ...overrides,
  };
}

function mapped(overrides: Record<string, unknown> = {}) {
  const result = mapWooOrder(wooOrder(overrides));
  return { ...result, draft: orderDraftSchema.parse(result.draft) };
}

describe('a WooCommerce order becomes a canonical draft', () => {
  it('keeps number, buyer, addresses and reads unit prices from the subtotal string, not the float price', () => {
    const { platformOrderId, draft, cancelled } = mapped();
    expect(platformOrderId).toBe('727');
    expect(cancelled).toBe(false);
    expect(draft).toMatchObject({
      orderNumber: '727',
      customer: { id: '26', name: 'Lei Zhang', contact: { name: 'Lei Zhang', email: 'lei.zhang@example.com', phone: '(555) 555-5555' } },
      shipTo: { name: 'Lei Zhang', street: '969 Market, Suite 4', city: 'San Francisco', region: 'CA', postalCode: '94103', country: 'US' },
      currency: 'USD',
      paymentTerms: 'WooCommerce: Direct Bank Transfer, not paid yet',
      notes: 'Leave at the loading dock\nShipping: Flat Rate 10.00 USD',
    });
    expect(draft.lines).toEqual([
      expect.objectContaining({ lineNo: 1, sku: 'PUMP-200', quantity: '3', unitPrice: '3.3333333333', taxRatePct: '13' }),
      expect.objectContaining({ lineNo: 2, sku: 'VALVE-DN50', quantity: '1', unitPrice: '100', discountPct: '10', taxRatePct: '13' }),
    ]);
  });

  it('claims WooCommerce\'s goods net (total less tax, shipping and fees) and cart tax, which the hub\'s totals match', () => {
    const { draft } = mapped();
    expect(draft.claimedTotals).toEqual({ net: '100.00', tax: '13.00' });
    expect(computeTotals(draft)).toEqual({ net: '100.00', tax: '13.00', gross: '113.00' });
    expect(crossCheckTotals(draft.claimedTotals, computeTotals(draft))).toEqual([]);
  });

  it('shows a store that rounds tax differently as a mismatch instead of hiding it', () => {
    const { draft } = mapped({ cart_tax: '13.01', total_tax: '13.01', total: '123.01' });
    expect(crossCheckTotals(draft.claimedTotals, computeTotals(draft))).toEqual([expect.objectContaining({ code: 'totals.mismatch', path: 'claimedTotals.tax' })]);
  });

  it('names the billing company as customer, and leaves out a shipping address that says nowhere', () => {
    const empty = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '' };
    const { draft } = mapped({ billing: { ...(wooOrder().billing as object), company: 'Zhang Build LLC' }, shipping: empty });
    expect(draft.customer).toMatchObject({ name: 'Zhang Build LLC', contact: { name: 'Lei Zhang' } });
    expect(draft.shipTo).toBeUndefined();
  });

  it('gives the version time in UTC', () => {
    expect(readWooOrderRef(wooOrder())).toEqual({ platformOrderId: '727', updatedAt: '2026-03-22T16:28:08.000Z' });
  });
});

describe('when the order will not ship', () => {
  it.each(['cancelled', 'refunded', 'failed'])('is cancelled when its status is %s', (status) => {
    expect(mapped({ status }).cancelled).toBe(true);
  });

  it.each(['pending', 'on-hold', 'processing', 'completed'])('is not cancelled when its status is %s', (status) => {
    expect(mapped({ status }).cancelled).toBe(false);
  });
});

describe('when the order cannot be read', () => {
  it('names the line whose SKU is empty', () => {
    const lines = (wooOrder().line_items as Record<string, unknown>[]).map((line, i) => (i === 0 ? { ...line, sku: '' } : line));
    const err = validationFailure(() => mapWooOrder(wooOrder({ line_items: lines })));
    expect(err.code).toBe('woocommerce.order_invalid');
    expect(err.details).toEqual([expect.objectContaining({ path: 'line_items[0].sku' })]);
  });

  it('names each malformed field as a path in WooCommerce\'s JSON', () => {
    const lines = (wooOrder().line_items as Record<string, unknown>[]).map((line, i) => (i === 1 ? { ...line, subtotal: 'lots' } : line));
    const err = validationFailure(() => mapWooOrder(wooOrder({ line_items: lines, date_modified_gmt: '22/03/2026' })));
    expect(err.details.map((d) => d.path).sort()).toEqual(['date_modified_gmt', 'line_items[1].subtotal']);
  });
});
