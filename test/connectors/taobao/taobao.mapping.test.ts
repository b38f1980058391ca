import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapTaobaoTrade } from '../../../connectors/taobao/taobao.mapping';
import { ValidationError } from '../../../core/errors/validation.error';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { computeTotals } from '../../../core/order/totals';

const RAW = readFileSync(join(__dirname, '../../fixtures/taobao/trade-fullinfo.json'));
const parsed = () => JSON.parse(RAW.toString('utf8')) as Record<string, unknown>;

function refusal(input: unknown): ValidationError {
  try {
    mapTaobaoTrade(input);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('the trade was mapped');
}

describe('a paid Taobao trade', () => {
  const { platformOrderId, draft, cancelled } = mapTaobaoTrade(RAW);

  it('is identified by its exact 19-digit tid, not the rounded double', () => {
    expect(platformOrderId).toBe('3524419873459847323');
    expect(draft.orderNumber).toBe('3524419873459847323');
    expect(cancelled).toBe(false);
  });

  it('has one line per sub-order, the SKU being the merchant code (SKU code, else item code)', () => {
    expect(draft.lines.map((l) => [l.lineNo, l.sku, l.quantity, l.unitPrice])).toEqual([
      [1, 'B-C352-F301-356M', '1', '100.00'],
      [2, 'VALVE-DN50', '3', '380.50'],
    ]);
  });

  it('turns sub-order discounts into a line discount whose net is what the buyer pays for the line', () => {
    const checked = orderDraftSchema.parse(draft);
    expect(checked.lines[0]!.discountPct).toBe('5');
    expect(checked.lines[1]!.discountPct).toBeUndefined();
    expect(computeTotals(checked).net).toBe('1236.50');
  });

  it('ships to the receiver with the address Taobao gave, trimmed, in CNY', () => {
    expect(draft.currency).toBe('CNY');
    expect(draft.customer).toEqual({ name: '采购004', contact: { name: '王小贝', phone: '13312343069' } });
    expect(draft.shipTo).toEqual({ name: '王小贝', street: '解放门街道 解放路100号', city: '西安市', region: '陕西省', postalCode: '710000', country: 'CN' });
    expect(draft.notes).toContain('Buyer message: 周末配送');
    expect(draft.notes).toContain('Seller memo: 改为发顺丰');
  });

  it('maps the same whether given the stored bytes or JSON.parse output (tid_str keeps the id)', () => {
    expect(mapTaobaoTrade(parsed())).toEqual(mapTaobaoTrade(RAW));
  });
});

describe('a closed Taobao trade', () => {
  it.each(['TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO'])('%s (sub-orders closed with it) cancels the hub order and is still a valid draft', (status) => {
    const trade = parsed();
    for (const order of (trade.orders as { order: Record<string, unknown>[] }).order) order.status = status;
    const mapped = mapTaobaoTrade({ ...trade, status });
    expect(mapped.cancelled).toBe(true);
    expect(orderDraftSchema.parse(mapped.draft).lines).toHaveLength(2);
  });

  it('leaves out a refunded sub-order and cancels the order when every sub-order is closed', () => {
    const trade = parsed();
    const orders = (trade.orders as { order: Record<string, unknown>[] }).order;
    orders[0]!.status = 'TRADE_CLOSED';
    const partly = mapTaobaoTrade(trade);
    expect(partly.draft.lines.map((l) => l.sku)).toEqual(['VALVE-DN50']);
    expect(partly.cancelled).toBe(false);
    orders[1]!.status = 'TRADE_CLOSED';
    const closed = mapTaobaoTrade(trade);
    expect(closed.cancelled).toBe(true);
    // Still a valid draft: intake reads the cancellation before it cancels the hub order.
    expect(orderDraftSchema.safeParse(closed.draft).success).toBe(true);
  });
});

describe('a trade that cannot be read', () => {
  it('names a sub-order without any merchant code', () => {
    const trade = parsed();
    const order = (trade.orders as { order: Record<string, unknown>[] }).order[1]!;
    delete order.outer_iid;
    const err = refusal(trade);
    expect(err.details).toEqual([expect.objectContaining({ path: 'orders.order[1].outer_sku_id' })]);
  });

  it('names every bad field at once: price as a float-looking text, quantity, status', () => {
    const trade = parsed();
    const order = (trade.orders as { order: Record<string, unknown>[] }).order[0]!;
    order.price = '1e2';
    order.num = 0;
    delete trade.status;
    expect(refusal(trade).details.map((d) => d.path).sort()).toEqual(['orders.order[0].num', 'orders.order[0].price', 'status']);
  });

  it('refuses a tid that JSON.parse rounded when no tid_str came with it', () => {
    const trade = parsed();
    delete trade.tid_str;
    expect(refusal(trade).details).toEqual([expect.objectContaining({ path: 'tid' })]);
  });

  it('refuses a trade without sub-orders', () => {
    expect(refusal({ ...parsed(), orders: { order: [] } }).details).toEqual([expect.objectContaining({ path: 'orders.order' })]);
  });
});
