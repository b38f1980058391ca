import type { ErrorDetail } from '../../core/errors/hub-error';
import { ValidationError } from '../../core/errors/validation.error';
import { DECIMAL_PATTERN, Dec, dec } from '../../core/order/money';
import type { OrderDraftInput } from '../../core/order/order.types';
import { fromBeijingTime } from '../shared/beijing-time';
import type { ShopOrderMapping } from '../shop/shop-platform';
import { isRecord, parseTopJson, topList, topText } from './top-json';

/**
 * A Taobao/Tmall trade (taobao.trade.fullinfo.get's `trade`) in the hub's words. Field meanings
 * follow the Trade and Order structures of the TOP docs (交易API, e.g. the generated models at
 * https://github.com/bububa/opentaobao/blob/master/model/trade/Trade.go and Order.go): money is a
 * string in yuan ("200.07"), `num` an integer, `orders.order[]` the sub-orders (子订单), one line
 * each. A line's SKU is the merchant code Taobao keeps for it: `outer_sku_id` (SKU 商家编码), or
 * `outer_iid` (item 商家编码) for items without variants.
 *
 * Prices: a line's unit price is the listed `price`; when the sub-order's payable `total_fee`
 * (price × num + adjust_fee − discount_fee) is lower, the difference becomes the line's discount
 * in percent, carried to 10 decimals so the hub's line net rounds back to `total_fee` exactly.
 * Postage, the buyer's payment and messages go into `notes`. Taobao trades are in yuan; TOP's trade
 * has no currency field, so every trade maps to CNY.
 */

/** Closed after payment (refunded) or before it (by buyer, seller or Taobao): the hub order is cancelled. */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set(['TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO']);
/**
 * Not paid (yet). Such trades are not taken in: most never get paid and close by themselves, and
 * taking them would reserve stock (and push lower stock to every channel) for carts. Paying changes
 * the trade's `modified`, so the next poll finds it as WAIT_SELLER_SEND_GOODS.
 */
export const UNPAID_STATUSES: ReadonlySet<string> = new Set(['WAIT_BUYER_PAY', 'TRADE_NO_CREATE_PAY', 'PAY_PENDING', 'WAIT_PRE_AUTH_CONFIRM']);
/** Statuses after the seller shipped: a send-back answered "already shipped" is checked against these. */
export const SHIPPED_STATUSES: ReadonlySet<string> = new Set(['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_BUYER_SIGNED', 'TRADE_FINISHED', 'SELLER_CONSIGNED_PART']);

const HUNDRED = new Dec(100);
/** The most decimals the canonical order keeps (DECIMAL_PATTERN). */
const PCT_DECIMALS = 10;

/** The trade's id: `tid_str` where TOP sends it, else `tid` if it survived JSON.parse intact. */
export function tradeId(trade: Record<string, unknown>): string | undefined {
  const text = topText(trade.tid_str) ?? (typeof trade.tid === 'number' && !Number.isSafeInteger(trade.tid) ? undefined : topText(trade.tid));
  return text !== undefined && /^\d+$/.test(text) ? text : undefined;
}

/** The trade's `modified` as ISO 8601, or undefined when absent or unreadable. */
export function tradeModified(trade: Record<string, unknown>): string | undefined {
  const text = topText(trade.modified);
  return text === undefined ? undefined : fromBeijingTime(text);
}

/**
 * Pure. Takes the trade as stored (bytes or text, read with its ids exact) or already parsed.
 * @throws ValidationError naming every unreadable field by its path in the trade
 */
export function mapTaobaoTrade(input: unknown): ShopOrderMapping {
  const trade = Buffer.isBuffer(input) || typeof input === 'string' ? parseTopJson(input.toString()) : input;
  if (!isRecord(trade)) throw new ValidationError('a Taobao trade must be a JSON object', [{ path: '', message: 'not an object' }]);
  const issues: ErrorDetail[] = [];
  const tid = tradeId(trade);
  if (tid === undefined) {
    issues.push({ path: 'tid', message: typeof trade.tid === 'number' ? 'tid exceeds exact JSON numbers and no tid_str came with it' : 'missing or not a trade number' });
  }
  const status = topText(trade.status);
  if (!status) issues.push({ path: 'status', message: 'missing' });

  const subOrders = topList(trade.orders, 'order');
  if (subOrders.length === 0) issues.push({ path: 'orders.order', message: 'the trade has no sub-orders' });
  const indexed = subOrders.map((order, i) => ({ order, i }));
  const open = indexed.filter(({ order }) => !(isRecord(order) && CLOSED_STATUSES.has(topText(order.status) ?? '')));
  // A refunded sub-order is no longer ordered; a trade closed as a whole keeps its lines, since the draft of a cancellation must still be an order.
  const lines = (open.length > 0 ? open : indexed).map(({ order, i }, n) => line(order, `orders.order[${i}]`, n + 1, issues));

  const customerName = text(trade.buyer_nick) ?? text(trade.receiver_name);
  if (!customerName) issues.push({ path: 'buyer_nick', message: 'neither buyer_nick nor receiver_name is present' });
  if (issues.length > 0 || tid === undefined || !customerName || !status) {
    throw new ValidationError(`Taobao trade ${tid ?? '?'} cannot be read: ${issues.map((i) => i.path).join(', ')}`, issues);
  }

  const phone = text(trade.receiver_mobile) ?? text(trade.receiver_phone);
  const receiver = text(trade.receiver_name);
  const buyerId = text(trade.buyer_open_uid);
  const draft: OrderDraftInput = {
    orderNumber: tid,
    customer: {
      ...(buyerId ? { id: buyerId } : {}),
      name: customerName,
      ...(receiver || phone ? { contact: { ...(receiver ? { name: receiver } : {}), ...(phone ? { phone } : {}) } } : {}),
    },
    shipTo: {
      ...(receiver ? { name: receiver } : {}),
      ...optional('street', [text(trade.receiver_town), text(trade.receiver_address)].filter(Boolean).join(' ')),
      // Taobao puts county-level cities (省直辖县) in receiver_district and leaves receiver_city empty.
      ...optional('city', text(trade.receiver_city) ?? text(trade.receiver_district)),
      ...optional('region', text(trade.receiver_state)),
      ...optional('postalCode', text(trade.receiver_zip)),
      country: 'CN',
    },
    currency: 'CNY',
    paymentTerms: `paid on Taobao${text(trade.pay_time) ? ` at ${text(trade.pay_time)} (GMT+8)` : ''}`,
    ...optional('notes', notes(trade)),
    lines,
  };
  // A trade whose every sub-order was closed is over, whatever the trade's own status still says.
  return { platformOrderId: tid, draft, cancelled: CLOSED_STATUSES.has(status) || open.length === 0 };
}

function line(order: unknown, path: string, lineNo: number, issues: ErrorDetail[]): OrderDraftInput['lines'][number] {
  if (!isRecord(order)) {
    issues.push({ path, message: 'not an object' });
    return { lineNo, sku: '?', quantity: '1', unitPrice: '0' };
  }
  const sku = text(order.outer_sku_id) ?? text(order.outer_iid);
  if (!sku) issues.push({ path: `${path}.outer_sku_id`, message: 'no merchant code (outer_sku_id or outer_iid): set 商家编码 on the item in Taobao' });
  const num = topText(order.num);
  if (!num || !/^[1-9]\d*$/.test(num)) issues.push({ path: `${path}.num`, message: `quantity must be a whole number above 0, got ${JSON.stringify(num ?? null)}` });
  const price = money(order.price, `${path}.price`, issues);
  const totalFee = order.total_fee === undefined ? undefined : money(order.total_fee, `${path}.total_fee`, issues);
  const title = [text(order.title), text(order.sku_properties_name)].filter(Boolean).join(' ');
  const discountPct = price && totalFee && num && /^\d+$/.test(num) ? discount(price, totalFee, num) : undefined;
  return {
    lineNo,
    sku: sku ?? '?',
    ...(title ? { description: title.slice(0, 1000) } : {}),
    quantity: num ?? '1',
    uom: 'EA',
    unitPrice: price ?? '0',
    ...(discountPct ? { discountPct } : {}),
  };
}

function money(value: unknown, path: string, issues: ErrorDetail[]): string | undefined {
  const amount = topText(value);
  if (amount === undefined || !DECIMAL_PATTERN.test(amount) || amount.startsWith('-')) {
    issues.push({ path, message: `an amount in yuan such as "200.07" is required, got ${JSON.stringify(amount ?? null)}` });
    return undefined;
  }
  return amount;
}

/** The percent that takes price × num down to total_fee; none when nothing was taken off. */
function discount(price: string, totalFee: string, num: string): string | undefined {
  const gross = dec(price).times(dec(num));
  const payable = dec(totalFee);
  if (gross.isZero() || !payable.lessThan(gross)) return undefined;
  return gross.minus(payable).dividedBy(gross).times(HUNDRED).toDecimalPlaces(PCT_DECIMALS).toFixed();
}

function notes(trade: Record<string, unknown>): string {
  const parts = [
    text(trade.buyer_message) && `Buyer message: ${text(trade.buyer_message)}`,
    text(trade.seller_memo) && `Seller memo: ${text(trade.seller_memo)}`,
    text(trade.post_fee) && `Postage ${text(trade.post_fee)} CNY`,
    text(trade.payment) && `Buyer paid ${text(trade.payment)} CNY`,
  ].filter(Boolean);
  return parts.join('; ').slice(0, 5000);
}

/** A non-blank string, trimmed (Taobao pads zips and addresses with spaces). */
function text(value: unknown): string | undefined {
  const raw = typeof value === 'string' ? value : undefined;
  const trimmed = raw?.trim();
  return trimmed ? trimmed : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
