import { validationFailure } from '../../support/validation-failure';
import { mapShopifyOrder } from '../../../connectors/shopify/shopify.mapping';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { computeTotals, crossCheckTotals } from '../../../core/order/totals';

/**
 * Shopify order JSON → canonical draft. The payloads follow the REST Admin API Order resource
 * (https://shopify.dev/docs/api/admin-rest/latest/resources/order): money as strings, tax rates as
 * JSON numbers, times with the shop's offset. What is checked is what the hub does with them: the
 * draft validates, and the hub's own totals agree with what Shopify claims.
 */

function shopifyOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 5501000000123,
    name: '#1042',
    po_number: null,
    email: 'mei.chen@example.com',
    currency: 'CNY',
    taxes_included: false,
    updated_at: '2026-03-02T10:15:07+08:00',
    cancelled_at: null,
    financial_status: 'paid',
    payment_gateway_names: ['shopify_payments'],
    note: 'Please call before delivery',
    customer: { id: 7001, first_name: 'Mei', last_name: 'Chen', email: 'mei.chen@example.com', phone: null },
    billing_address: { first_name: 'Mei', last_name: 'Chen', name: 'Mei Chen', company: null, address1: '88 Zhangjiang Road', city: 'Shanghai', province_code: 'SH', zip: '201203', country_code: 'CN', phone: '+86 138 0000 0000' },
    shipping_address: { first_name: 'Wang', last_name: 'Gang', name: 'Wang Gang', address1: '1 Site Road', address2: 'Gate 2', city: 'Suzhou', province: 'Jiangsu', province_code: 'JS', zip: '215000', country_code: 'CN' },
    line_items: [
      { sku: 'PUMP-200', title: 'Centrifugal pump', name: 'Centrifugal pump - 200 m³/h', quantity: 2, current_quantity: 2, price: '12500.00', discount_allocations: [], tax_lines: [{ title: 'VAT', price: '3250.00', rate: 0.13 }] },
      { sku: 'VALVE-DN50', title: 'Gate valve', name: 'Gate valve DN50', quantity: 7, current_quantity: 7, price: '380.55', discount_allocations: [], tax_lines: [{ title: 'VAT', price: '346.30', rate: 0.13 }] },
    ],
    shipping_lines: [{ title: 'Freight', price: '300.00', tax_lines: [] }],
    subtotal_price: '27663.85',
    current_subtotal_price: '27663.85',
    total_tax: '3596.30',
    total_price: '31560.15',
    current_total_price: '31560.15',
    ...overrides,
  };
}

function mapped(overrides: Record<string, unknown> = {}) {
  const result = mapShopifyOrder(shopifyOrder(overrides));
  return { ...result, draft: orderDraftSchema.parse(result.draft) };
}

describe('a Shopify order becomes a canonical draft', () => {
  it('keeps number, buyer, ship-to, lines as decimal strings and the tax rate from tax_lines', () => {
    const { platformOrderId, draft, cancelled } = mapped();
    expect(platformOrderId).toBe('5501000000123');
    expect(cancelled).toBe(false);
    expect(draft).toMatchObject({
      orderNumber: '#1042',
      poNumber: '#1042',
      customer: { id: '7001', name: 'Mei Chen', contact: { name: 'Mei Chen', email: 'mei.chen@example.com', phone: '+86 138 0000 0000' } },
      shipTo: { name: 'Wang Gang', street: '1 Site Road, Gate 2', city: 'Suzhou', region: 'JS', postalCode: '215000', country: 'CN' },
      currency: 'CNY',
      paymentTerms: 'Shopify: paid via shopify_payments',
    });
    expect(draft.lines).toEqual([
      expect.objectContaining({ lineNo: 1, sku: 'PUMP-200', description: 'Centrifugal pump - 200 m³/h', quantity: '2', unitPrice: '12500.00', taxRatePct: '13' }),
      expect.objectContaining({ lineNo: 2, sku: 'VALVE-DN50', quantity: '7', unitPrice: '380.55', taxRatePct: '13' }),
    ]);
  });

  it('claims Shopify\'s goods subtotal and line tax, which the hub\'s own totals match; shipping goes to notes', () => {
    const { draft } = mapped();
    expect(draft.claimedTotals).toEqual({ net: '27663.85', tax: '3596.30' });
    expect(crossCheckTotals(draft.claimedTotals, computeTotals(draft))).toEqual([]);
    expect(draft.notes).toBe('Please call before delivery\nShipping: Freight 300.00 CNY');
  });

  it('turns discount allocations into a line discount that reproduces Shopify\'s discounted subtotal', () => {
    const lines = (shopifyOrder().line_items as Record<string, unknown>[]).map((line, i) =>
      i === 1 ? { ...line, discount_allocations: [{ amount: '100.00' }, { amount: '33.19' }], tax_lines: [{ title: 'VAT', price: '328.99', rate: 0.13 }] } : line,
    );
    const { draft } = mapped({ line_items: lines, subtotal_price: '27530.66', current_subtotal_price: '27530.66' });
    expect(draft.lines[1]!.discountPct).toBe('4.9999061509');
    expect(crossCheckTotals(draft.claimedTotals, computeTotals(draft))).toEqual([]);
  });

  it('with taxes_included, carries net unit prices and still arrives at Shopify\'s tax', () => {
    const lines = [{ sku: 'PUMP-200', title: 'Pump', quantity: 3, price: '113.00', discount_allocations: [], tax_lines: [{ title: 'VAT', price: '39.00', rate: 0.13 }] }];
    const { draft } = mapped({ taxes_included: true, line_items: lines, subtotal_price: '339.00', current_subtotal_price: '339.00' });
    expect(draft.lines[0]).toMatchObject({ unitPrice: '100', taxRatePct: '13' });
    expect(draft.claimedTotals).toEqual({ tax: '39.00' });
    expect(computeTotals(draft)).toEqual({ net: '300.00', tax: '39.00', gross: '339.00' });
  });

  it('names the company as customer when the billing address has one, the person as contact', () => {
    const { draft } = mapped({ billing_address: { ...(shopifyOrder().billing_address as object), company: '苏州水务工程有限公司' } });
    expect(draft.customer).toMatchObject({ name: '苏州水务工程有限公司', contact: { name: 'Mei Chen' } });
  });

  it('falls back to the e-mail for a buyer without any name, and uses po_number when given', () => {
    const { draft } = mapped({ customer: null, billing_address: null, po_number: 'PO-77' });
    expect(draft.customer.name).toBe('mei.chen@example.com');
    expect(draft.poNumber).toBe('PO-77');
  });

  it('ships what order edits left: lines at current_quantity 0 go, and line tax is no longer claimed', () => {
    const lines = (shopifyOrder().line_items as Record<string, unknown>[]).map((line, i) => (i === 0 ? { ...line, current_quantity: 0 } : { ...line, current_quantity: 5 }));
    const { draft } = mapped({ line_items: lines, current_subtotal_price: '1902.75' });
    expect(draft.lines).toEqual([expect.objectContaining({ lineNo: 1, sku: 'VALVE-DN50', quantity: '5' })]);
    expect(draft.claimedTotals).toEqual({ net: '1902.75' });
    expect(crossCheckTotals(draft.claimedTotals, computeTotals(draft))).toEqual([]);
  });
});

describe('when the order is cancelled on Shopify', () => {
  it.each([
    ['cancelled_at is set', { cancelled_at: '2026-03-02T11:00:00+08:00', financial_status: 'paid' }],
    ['it was refunded', { financial_status: 'refunded' }],
    ['its authorisation was voided', { financial_status: 'voided' }],
  ])('is cancelled when %s', (_why, overrides) => {
    expect(mapped(overrides).cancelled).toBe(true);
  });

  it('keeps the original lines as the record even when every current_quantity is 0', () => {
    const lines = (shopifyOrder().line_items as Record<string, unknown>[]).map((line) => ({ ...line, current_quantity: 0 }));
    const { draft, cancelled } = mapped({ line_items: lines, financial_status: 'refunded' });
    expect(cancelled).toBe(true);
    expect(draft.lines.map((l) => l.quantity)).toEqual(['2', '7']);
  });
});

describe('when the order cannot be read', () => {
  it('names the line whose SKU is empty', () => {
    const lines = (shopifyOrder().line_items as Record<string, unknown>[]).map((line, i) => (i === 1 ? { ...line, sku: '' } : line));
    const err = validationFailure(() => mapShopifyOrder(shopifyOrder({ line_items: lines })));
    expect(err.code).toBe('shopify.order_invalid');
    expect(err.details).toEqual([expect.objectContaining({ path: 'line_items[1].sku' })]);
  });

  it('names every malformed field as a path in Shopify\'s JSON', () => {
    const lines = (shopifyOrder().line_items as Record<string, unknown>[]).map((line, i) => (i === 0 ? { ...line, price: 'twelve' } : line));
    const err = validationFailure(() => mapShopifyOrder(shopifyOrder({ line_items: lines, currency: 'yuan' })));
    expect(err.details.map((d) => d.path).sort()).toEqual(['currency', 'line_items[0].price']);
  });

  it('refuses an id beyond 2^53, which JSON.parse cannot hold exactly', () => {
    const err = validationFailure(() => mapShopifyOrder('{"id":820982911946154508,"updated_at":"2026-03-02T10:15:07+08:00"}'));
    expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'id' })]));
  });

  it('reads the raw bytes of a webhook the same as the parsed order', () => {
    const order = shopifyOrder();
    expect(mapShopifyOrder(Buffer.from(JSON.stringify(order)))).toEqual(mapShopifyOrder(order));
  });
});
