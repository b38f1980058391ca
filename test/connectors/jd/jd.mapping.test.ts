import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJdOrderMapper } from '../../../connectors/jd/jd.mapping';
import { ValidationError } from '../../../core/errors/validation.error';
import { orderDraftSchema } from '../../../core/order/order.schema';

const RAW = readFileSync(join(__dirname, '../../fixtures/jd/order-search-info.json'));
const order = () => JSON.parse(RAW.toString('utf8')) as Record<string, unknown>;
const map = createJdOrderMapper(new Map([['100012345678', 'VALVE-DN50']]));

function refusal(input: unknown): ValidationError {
  try {
    map(input);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('the order was mapped');
}

describe('a JD order waiting for stock-out', () => {
  const { platformOrderId, draft, cancelled } = map(RAW);

  it('keeps JD order id, quantities and prices as given, in CNY', () => {
    expect([platformOrderId, cancelled, draft.currency]).toEqual(['301234567890', false, 'CNY']);
    expect(orderDraftSchema.parse(draft).lines.map((l) => [l.sku, l.quantity, l.unitPrice])).toEqual([
      ['PUMP-200', '2', '1200.00'],
      ['VALVE-DN50', '6', '23.11'],
    ]);
  });

  it('names a line without merchant code by the hub SKU configured for its JD skuId', () => {
    expect(draft.lines[1]!.sku).toBe('VALVE-DN50');
    expect(createJdOrderMapper(new Map())(RAW).draft.lines[1]!.sku).toBe('100012345678');
  });

  it('ships to the consignee; freight, discount and payment are noted', () => {
    expect(draft.shipTo).toEqual({ name: '李蕾', street: '河北廊坊市三河市齐心庄镇', city: '廊坊市', region: '河北省', country: 'CN' });
    expect(draft.customer).toEqual({ id: 'testpin', name: '李蕾', contact: { name: '李蕾', phone: '18311111111' } });
    expect(draft.paymentTerms).toBe('paid online on JD (在线支付)');
    expect(draft.notes).toBe('Buyer remark: 尽快发货; Seller remark: 会尽快发货; Freight 10.00 CNY; Seller discount 20.00 CNY; Buyer pays 2556.00 CNY');
  });
});

describe('other JD orders', () => {
  it('TRADE_CANCELED cancels the hub order', () => {
    expect(map({ ...order(), orderState: 'TRADE_CANCELED' }).cancelled).toBe(true);
  });

  it('names each unreadable field: a float price, a missing quantity, no order id', () => {
    const bad = order();
    const items = bad.itemInfoList as Record<string, unknown>[];
    items[0]!.jdPrice = 1200.5;
    delete items[1]!.itemTotal;
    delete bad.orderId;
    expect(refusal(bad).details.map((d) => d.path).sort()).toEqual(['itemInfoList[0].jdPrice', 'itemInfoList[1].itemTotal', 'orderId']);
  });

  it('refuses an order without items', () => {
    expect(refusal({ ...order(), itemInfoList: [] }).details).toEqual([expect.objectContaining({ path: 'itemInfoList' })]);
  });
});
