import type { ErrorDetail } from '../../core/errors/hub-error';
import { ValidationError } from '../../core/errors/validation.error';
import { DECIMAL_PATTERN } from '../../core/order/money';
import type { OrderDraftInput } from '../../core/order/order.types';
import { fromBeijingTime } from '../shared/beijing-time';
import type { ShopOrderMapping } from '../shop/shop-platform';
import { isRecord } from './jd.client';

/**
 * A JD POP order (an `orderInfoList[]` element of jingdong.pop.order.search, or `orderDetailInfo.
 * orderInfo` of jingdong.pop.order.get) in the hub's words. Field meanings follow the OrderSearchInfo
 * structure of those API pages (订单API, https://open.jd.com/home/home#/doc/api?apiCateId=55&apiId=1566
 * and apiId=1565; their JSON examples are kept at github.com/lostinfo/jos-open-api/api_response/55):
 * every value is a string, money in yuan; `itemInfoList[]` holds one line per SKU with `itemTotal`
 * (quantity), `jdPrice` (unit price), `outerSkuId` (the merchant's SKU code) and `skuId` (JD's).
 *
 * A line's SKU is `outerSkuId`; for an item without one, the hub SKU configured for its JD skuId,
 * else the JD skuId itself (which the hub's stock check then reports as unknown). Order-level
 * discounts (sellerDiscount, coupons) and freight are not spread over lines: JD gives them per order
 * and per coupon, not per line, so they go into `notes` with the amount the buyer pays. JD POP orders
 * are in yuan and carry no currency field, so every order maps to CNY.
 */

/** The order was cancelled on JD (by buyer, seller or JD). */
export const CANCELLED_STATES: ReadonlySet<string> = new Set(['TRADE_CANCELED']);
/** States after the seller shipped: a refused shipment is checked against these. */
export const SHIPPED_STATES: ReadonlySet<string> = new Set(['WAIT_GOODS_RECEIVE_CONFIRM', 'FINISHED_L']);

/** payType values of the order search page. */
const PAY_TYPES: Readonly<Record<string, string>> = {
  '1': 'cash on delivery (货到付款)',
  '2': 'postal remittance (邮局汇款)',
  '3': 'paid at pick-up (自提)',
  '4': 'paid online on JD (在线支付)',
  '5': 'company transfer (公司转账)',
  '6': 'bank card transfer (银行卡转账)',
};

export function orderIdOf(order: Record<string, unknown>): string | undefined {
  const id = scalar(order.orderId);
  return id !== undefined && /^\d+$/.test(id) ? id : undefined;
}

export function modifiedOf(order: Record<string, unknown>): string | undefined {
  const text = scalar(order.modified);
  return text === undefined ? undefined : fromBeijingTime(text);
}

/**
 * Pure apart from the SKU table it is built with.
 * @param jdSkuToHub hub SKU per JD skuId, for lines without outerSkuId
 */
export function createJdOrderMapper(jdSkuToHub: ReadonlyMap<string, string>) {
  return function mapJdOrder(input: unknown): ShopOrderMapping {
    const order = Buffer.isBuffer(input) || typeof input === 'string' ? (JSON.parse(input.toString()) as unknown) : input;
    if (!isRecord(order)) throw new ValidationError('a JD order must be a JSON object', [{ path: '', message: 'not an object' }]);
    const issues: ErrorDetail[] = [];
    const orderId = orderIdOf(order);
    if (orderId === undefined) issues.push({ path: 'orderId', message: 'missing or not an order number' });
    const state = scalar(order.orderState);
    if (!state) issues.push({ path: 'orderState', message: 'missing' });
    const items = Array.isArray(order.itemInfoList) ? order.itemInfoList : [];
    if (items.length === 0) issues.push({ path: 'itemInfoList', message: 'the order has no items' });
    const lines = items.map((item, i) => line(item, `itemInfoList[${i}]`, i + 1, jdSkuToHub, issues));
    const consignee = isRecord(order.consigneeInfo) ? order.consigneeInfo : {};
    const customerName = text(consignee.fullname) ?? text(order.pin);
    if (!customerName) issues.push({ path: 'consigneeInfo.fullname', message: 'neither consigneeInfo.fullname nor pin is present' });
    if (issues.length > 0 || orderId === undefined || !state || !customerName) {
      throw new ValidationError(`JD order ${orderId ?? '?'} cannot be read: ${issues.map((i) => i.path).join(', ')}`, issues);
    }
    const receiver = text(consignee.fullname);
    const phone = text(consignee.mobile) ?? text(consignee.telephone);
    const payType = scalar(order.payType);
    const draft: OrderDraftInput = {
      orderNumber: orderId,
      customer: {
        ...(text(order.pin) ? { id: text(order.pin) } : {}),
        name: customerName,
        ...(receiver || phone ? { contact: { ...(receiver ? { name: receiver } : {}), ...(phone ? { phone } : {}) } } : {}),
      },
      shipTo: {
        ...(receiver ? { name: receiver } : {}),
        ...optional('street', text(consignee.fullAddress)),
        ...optional('city', text(consignee.city)),
        ...optional('region', text(consignee.province)),
        country: 'CN',
      },
      currency: 'CNY',
      paymentTerms: payType ? (PAY_TYPES[payType] ?? `JD payType ${payType}`) : 'paid on JD',
      ...optional('notes', notes(order)),
      lines,
    };
    return { platformOrderId: orderId, draft, cancelled: CANCELLED_STATES.has(state) };
  };
}

function line(item: unknown, path: string, lineNo: number, jdSkuToHub: ReadonlyMap<string, string>, issues: ErrorDetail[]): OrderDraftInput['lines'][number] {
  if (!isRecord(item)) {
    issues.push({ path, message: 'not an object' });
    return { lineNo, sku: '?', quantity: '1', unitPrice: '0' };
  }
  const jdSku = scalar(item.skuId);
  const sku = text(item.outerSkuId) ?? (jdSku ? (jdSkuToHub.get(jdSku) ?? jdSku) : undefined);
  if (!sku) issues.push({ path: `${path}.outerSkuId`, message: 'neither outerSkuId nor skuId is present' });
  const quantity = scalar(item.itemTotal);
  if (!quantity || !/^[1-9]\d*$/.test(quantity)) issues.push({ path: `${path}.itemTotal`, message: `quantity must be a whole number above 0, got ${JSON.stringify(quantity ?? null)}` });
  const price = scalar(item.jdPrice);
  if (price === undefined || !DECIMAL_PATTERN.test(price) || price.startsWith('-')) {
    issues.push({ path: `${path}.jdPrice`, message: `an amount in yuan such as "23.11" is required, got ${JSON.stringify(price ?? null)}` });
  }
  const name = text(item.skuName);
  return { lineNo, sku: sku ?? '?', ...(name ? { description: name.slice(0, 1000) } : {}), quantity: quantity ?? '1', uom: 'EA', unitPrice: price ?? '0' };
}

function notes(order: Record<string, unknown>): string {
  const parts = [
    text(order.orderRemark) && `Buyer remark: ${text(order.orderRemark)}`,
    text(order.venderRemark) && `Seller remark: ${text(order.venderRemark)}`,
    scalar(order.freightPrice) && `Freight ${scalar(order.freightPrice)} CNY`,
    scalar(order.sellerDiscount) && scalar(order.sellerDiscount) !== '0' && `Seller discount ${scalar(order.sellerDiscount)} CNY`,
    scalar(order.orderPayment) && `Buyer pays ${scalar(order.orderPayment)} CNY`,
  ].filter(Boolean);
  return parts.join('; ').slice(0, 5000);
}

/** JOS writes numbers as strings; a number that slipped through is read by its digits. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return text(value);
}

function text(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
