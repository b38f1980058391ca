import type { Logger } from 'pino';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { DeliveryOutcome } from '../connector';
import { toBeijingTime } from '../shared/beijing-time';
import { jsonNumber } from '../shared/json-decimals';
import { currentPage, nextPageToken } from '../shared/sliced-pages';
import type { ChangedOrdersPage, ChangedOrdersWindow, ShopOrderSnapshot, ShopPlatform, ShopShipment, ShopStockLevel, StockPushResult } from '../shop/shop-platform';
import { apiVerdict, isRecord, JosClient } from './jd.client';
import type { JdConfig } from './jd.config';
import { createJdOrderMapper, modifiedOf, orderIdOf, SHIPPED_STATES } from './jd.mapping';

/**
 * JD POP as a shop platform, over JOS. Docs followed, per call (API pages under
 * https://open.jd.com/home/home#/doc/api?apiCateId=55, 订单API; parameter names as in the request
 * classes of the JOS SDKs, e.g. github.com/lostinfo/jos-open-api/jd/request/PopOrderSearch.php):
 * - jingdong.pop.order.search (apiId 1566, 根据条件检索订单信息): start_date / end_date (at most one
 *   month apart), dateType 0 = by modified time (修改时间, which includes state and waybill changes),
 *   order_state (comma-separated), optional_fields (required), page / page_size (≤ 100), sortType
 *   (default ascending). Answer `{"jingdong_pop_order_search_responce":{"searchorderinfo_result":
 *   {"orderInfoList":[…],"orderTotal":…,"apiResult":{"success":true,…}}}}`. The search only finds
 *   orders ready to be worked on (达到生产条件: paid, or cash on delivery), so unpaid orders never
 *   appear. Pages are read from the last back (../shared/sliced-pages.ts), the search's one-month
 *   cap splitting longer windows.
 * - jingdong.pop.order.shipment (apiId 1948, sop出库发货): orderId, logiCoprId, logiNo; answer
 *   `sopjosshipment_result {success, chineseErrCode, englishErrCode, errorCode}`. JOS documents no
 *   code for "already shipped", so a refused shipment is checked with jingdong.pop.order.get
 *   (apiId 1565: order_id, optional_fields): an order already out with our waybill is a success.
 * - jingdong.stock.write.updateSkuStock (apiId 1224, 设置sku库存): skuId, stockNum; answer
 *   `{success: true}`. Not confirmed: one client notes JD plans to retire it for
 *   jingdong.ware.stock.sku.set; both take skuId and stockNum.
 */

/** JOS's cap on one search: start_date and end_date at most one month apart (taken as 30 days). */
const MAX_SPAN_MS = 30 * 24 * 60 * 60 * 1000;
/** Every state a live or cancelled order can be in; the search wants them listed. */
const ORDER_STATES = 'WAIT_SELLER_STOCK_OUT,WAIT_SELLER_DELIVERY,WAIT_GOODS_RECEIVE_CONFIRM,FINISHED_L,TRADE_CANCELED,LOCKED,PAUSE,POP_ORDER_PAUSE';
/** What mapping reads; JOS refuses a search without optional_fields. */
const ORDER_FIELDS = [
  'orderId',
  'orderState',
  'modified',
  'orderStartTime',
  'paymentConfirmTime',
  'payType',
  'pin',
  'orderTotalPrice',
  'orderSellerPrice',
  'orderPayment',
  'freightPrice',
  'sellerDiscount',
  'orderRemark',
  'venderRemark',
  'consigneeInfo',
  'itemInfoList',
  'logisticsId',
  'waybill',
].join(',');
/** dateType 0: search by modified time. */
const BY_MODIFIED = 0;

export function createJdPlatform(config: JdConfig, log: Logger, client = new JosClient(config)): ShopPlatform {
  const hubSkuByJdSku = new Map(Object.entries(config.skus).map(([hub, jd]) => [jd, hub]));
  const mapOrder = createJdOrderMapper(hubSkuByJdSku);

  return {
    platform: 'jd',

    async fetchChanged(window: ChangedOrdersWindow, signal: AbortSignal): Promise<ChangedOrdersPage> {
      const page = currentPage(window, MAX_SPAN_MS);
      const answer = await client.call(
        'jingdong.pop.order.search',
        {
          start_date: toBeijingTime(page.sliceStart),
          end_date: toBeijingTime(page.sliceEnd),
          order_state: ORDER_STATES,
          optional_fields: ORDER_FIELDS,
          page: String(page.pageNo),
          page_size: String(config.pageSize),
          dateType: BY_MODIFIED,
        },
        signal,
      );
      const result = isRecord(answer.searchorderinfo_result) ? answer.searchorderinfo_result : {};
      const verdict = apiVerdict(result.apiResult);
      if (!verdict.ok) throw new PermanentPartnerError(`JD refused the order search: ${verdict.message}`);
      const orders: ShopOrderSnapshot[] = [];
      for (const order of Array.isArray(result.orderInfoList) ? result.orderInfoList : []) {
        const orderId = isRecord(order) ? orderIdOf(order) : undefined;
        if (!isRecord(order) || orderId === undefined) throw new PermanentPartnerError('JD listed an order without a readable orderId');
        // An order whose modified time cannot be read is stored under the slice's end, so it is still kept once per version.
        orders.push({ platformOrderId: orderId, updatedAt: modifiedOf(order) ?? page.sliceEnd, body: Buffer.from(JSON.stringify(order), 'utf8') });
      }
      const total = Number(result.orderTotal ?? 0);
      const nextPage = nextPageToken(page, Number.isFinite(total) ? total : 0, config.pageSize, window, MAX_SPAN_MS);
      return { orders, ...(nextPage ? { nextPage } : {}) };
    },

    mapOrder,

    async ship(shipment: ShopShipment, signal: AbortSignal): Promise<DeliveryOutcome> {
      const logiCoprId = config.carriers[shipment.carrier];
      if (!logiCoprId) {
        throw new PermanentPartnerError(`no JD logistics company id for carrier "${shipment.carrier}"; add it under carriers in the ${config.id} connector's config`);
      }
      const orderId = shipment.platformOrderId;
      const answer = await client.call('jingdong.pop.order.shipment', { orderId: jsonNumber(orderId), logiCoprId, logiNo: shipment.trackingNumber }, signal);
      const verdict = apiVerdict(answer.sopjosshipment_result);
      const partnerRef = `${logiCoprId}:${shipment.trackingNumber}`;
      if (verdict.ok) return { partnerRef, responseBody: JSON.stringify(answer).slice(0, 4096) };
      const shown = await currentShipment(orderId, signal);
      if (shown && SHIPPED_STATES.has(shown.state) && shown.waybill === shipment.trackingNumber) {
        log.info({ orderId, trackingNumber: shipment.trackingNumber }, 'JD already shows the order shipped with this waybill');
        return { partnerRef, responseBody: `already shipped (${shown.state})` };
      }
      const where = shown ? `; the order is ${shown.state}${shown.waybill ? ` with waybill ${shown.waybill}` : ''}` : '';
      throw new PermanentPartnerError(`JD refused the shipment of order ${orderId}: ${verdict.message}${where}`, { body: JSON.stringify(answer).slice(0, 4096) });
    },

    async pushStock(levels: readonly ShopStockLevel[], signal: AbortSignal): Promise<StockPushResult> {
      const unknownSkus: string[] = [];
      let updated = 0;
      for (const { sku, available } of levels) {
        const skuId = config.skus[sku];
        if (!skuId) {
          unknownSkus.push(sku);
          continue;
        }
        const answer = await client.call('jingdong.stock.write.updateSkuStock', { skuId: jsonNumber(skuId), stockNum: jsonNumber(available) }, signal);
        if (!apiVerdict(answer).ok) throw new PermanentPartnerError(`JD did not set the stock of SKU ${sku} (skuId ${skuId}): ${JSON.stringify(answer).slice(0, 500)}`);
        updated += 1;
      }
      return { updated, unknownSkus };
    },
  };

  /** The order's state and waybill as JD shows them now, or undefined when JD cannot say. */
  async function currentShipment(orderId: string, signal: AbortSignal): Promise<{ state: string; waybill?: string } | undefined> {
    const answer = await client.call('jingdong.pop.order.get', { order_id: jsonNumber(orderId), optional_fields: 'orderId,orderState,waybill,logisticsId' }, signal);
    const detail = isRecord(answer.orderDetailInfo) ? answer.orderDetailInfo : {};
    const info = isRecord(detail.orderInfo) ? detail.orderInfo : undefined;
    const state = typeof info?.orderState === 'string' ? info.orderState : undefined;
    if (!state) return undefined;
    return { state, ...(typeof info?.waybill === 'string' && info.waybill ? { waybill: info.waybill } : {}) };
  }
}
