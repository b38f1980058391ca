import type { Logger } from 'pino';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { DeliveryOutcome } from '../connector';
import { toBeijingTime } from '../shared/beijing-time';
import { currentPage, nextPageToken } from '../shared/sliced-pages';
import type { ChangedOrdersPage, ChangedOrdersWindow, ShopOrderSnapshot, ShopPlatform, ShopShipment, ShopStockLevel, StockPushResult } from '../shop/shop-platform';
import { TopApiError, TopClient } from './taobao.client';
import type { TaobaoConfig } from './taobao.config';
import { mapTaobaoTrade, SHIPPED_STATUSES, tradeId, tradeModified, UNPAID_STATUSES } from './taobao.mapping';
import { isRecord, stringifyTopJson, topList, topText } from './top-json';

/**
 * Taobao/Tmall as a shop platform, over TOP. Docs followed, per call (the API pages live at
 * https://open.taobao.com/api.htm under each method's name; the parameter and answer shapes below
 * were checked against the SDK models generated from them, github.com/bububa/opentaobao):
 * - taobao.trades.sold.increment.get (查询卖家已卖出的增量交易数据，根据修改时间): start_modified /
 *   end_modified at most one day apart, page_no / page_size (1–100), `total_results`, trades in
 *   `trades.trade[]`; pages must be read from the last back to avoid missing trades (see
 *   ../shared/sliced-pages.ts). Only part of each trade comes back ("可通过taobao.trade.fullinfo.get
 *   获取订单详情"). model/trade/TaobaoTradesSoldIncrementGetAPIRequest.go, …APIResponse.go
 * - taobao.trade.fullinfo.get (获取单笔交易的详细信息): tid, fields; `{"trade_fullinfo_get_response":
 *   {"trade":{…,"orders":{"order":[…]}}}}`. http://developer.alibaba.com/apidoc/api.htm?path=categoryId%3A5-apiId%3A54
 * - taobao.logistics.offline.send (自己联系物流（线下物流）发货): tid, out_sid (tracking number),
 *   company_code (taobao.logistics.companies.get lists them); `{"logistics_offline_send_response":
 *   {"shipping":{"is_success":true}}}` (model/logistic/TaobaoLogisticsOfflineSendResponse.go). A
 *   trade already shipped or closed is refused with sub_code isv.logistics-offline-service-error:B04
 *   ("订单状态不对该物流订单已经发货或者已关闭，不能重复发货", as recorded in open-source TOP
 *   clients' error classes; no official page lists it); since that one code covers both cases, the
 *   trade is read again to tell a repeat of our own send-back (success) from a closed trade.
 * - taobao.item.quantity.update (宝贝/SKU库存修改): num_iid, sku_id, quantity, type=1 (全量, set).
 *   model/product/TaobaoItemQuantityUpdateAPIRequest.go
 *
 * Not confirmed by public docs: whether fullinfo returns `tid_str` when it is listed in `fields`
 * (the Trade model documents the field, "同tid"); when it does not, the stored trade gets it from the
 * exact `tid` digits.
 */

/** TOP's cap on one increment query's span: end_modified − start_modified ≤ 1 day. */
const MAX_SPAN_MS = 24 * 60 * 60 * 1000;
/** What the increment list needs: fullinfo reads the rest, and unpaid trades are skipped before that call. */
const LIST_FIELDS = 'tid,tid_str,status,modified';
/** What mapping reads of a trade (and the send-back check), nothing more: TOP asks apps to fetch only needed fields. */
const TRADE_FIELDS = [
  'tid',
  'tid_str',
  'status',
  'modified',
  'created',
  'pay_time',
  'payment',
  'post_fee',
  'buyer_nick',
  'buyer_open_uid',
  'buyer_message',
  'seller_memo',
  'receiver_name',
  'receiver_state',
  'receiver_city',
  'receiver_district',
  'receiver_town',
  'receiver_address',
  'receiver_zip',
  'receiver_mobile',
  'receiver_phone',
  'orders',
].join(',');
/** The sub_code Taobao gives a send-back for a trade already shipped or closed. */
const ALREADY_SHIPPED_OR_CLOSED = 'isv.logistics-offline-service-error:B04';

export function createTaobaoPlatform(config: TaobaoConfig, log: Logger, client = new TopClient(config)): ShopPlatform {
  async function fullTrade(tid: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const answer = await client.call('taobao.trade.fullinfo.get', { tid, fields: TRADE_FIELDS }, signal);
    if (!isRecord(answer.trade)) throw new PermanentPartnerError(`Taobao's fullinfo of trade ${tid} has no trade`);
    return answer.trade;
  }

  return {
    platform: 'taobao',

    async fetchChanged(window: ChangedOrdersWindow, signal: AbortSignal): Promise<ChangedOrdersPage> {
      const page = currentPage(window, MAX_SPAN_MS);
      const answer = await client.call(
        'taobao.trades.sold.increment.get',
        {
          fields: LIST_FIELDS,
          start_modified: toBeijingTime(page.sliceStart),
          end_modified: toBeijingTime(page.sliceEnd),
          page_no: String(page.pageNo),
          page_size: String(config.pageSize),
        },
        signal,
      );
      const total = Number(topText(answer.total_results) ?? '0');
      const orders: ShopOrderSnapshot[] = [];
      let unpaid = 0;
      for (const listed of topList(answer.trades, 'trade')) {
        const tid = isRecord(listed) ? tradeId(listed) : undefined;
        if (!isRecord(listed) || tid === undefined) throw new PermanentPartnerError('Taobao listed a trade without a readable tid');
        if (UNPAID_STATUSES.has(topText(listed.status) ?? '')) {
          unpaid += 1;
          continue;
        }
        const trade = await fullTrade(tid, signal);
        // A trade whose modified time cannot be read is stored under the listing's, so it is still kept once per version.
        const updatedAt = tradeModified(trade) ?? tradeModified(listed) ?? page.sliceEnd;
        // Intake reads stored bodies with JSON.parse, which rounds a 19-digit `tid`; TOP's own `tid_str`
        // carries it exactly, so it is filled in from the exact digits when the answer left it out.
        const stored = topText(trade.tid_str) === undefined ? { ...trade, tid_str: tid } : trade;
        orders.push({ platformOrderId: tid, updatedAt, body: Buffer.from(stringifyTopJson(stored), 'utf8') });
      }
      if (unpaid > 0) log.debug({ unpaid }, 'unpaid trades left until they are paid');
      const nextPage = nextPageToken(page, total, config.pageSize, window, MAX_SPAN_MS);
      return { orders, ...(nextPage ? { nextPage } : {}) };
    },

    mapOrder: mapTaobaoTrade,

    async ship(shipment: ShopShipment, signal: AbortSignal): Promise<DeliveryOutcome> {
      const companyCode = config.carriers[shipment.carrier] ?? shipment.carrier;
      const tid = shipment.platformOrderId;
      try {
        const answer = await client.call('taobao.logistics.offline.send', { tid, out_sid: shipment.trackingNumber, company_code: companyCode }, signal);
        const shipping = isRecord(answer.shipping) ? answer.shipping : {};
        if (topText(shipping.is_success) !== 'true') throw new PermanentPartnerError(`Taobao did not confirm the send-back of trade ${tid}`, { body: stringifyTopJson(answer).slice(0, 4096) });
        return { partnerRef: `${companyCode}:${shipment.trackingNumber}`, responseBody: stringifyTopJson(answer).slice(0, 4096) };
      } catch (err) {
        if (!(err instanceof TopApiError && err.subCode === ALREADY_SHIPPED_OR_CLOSED)) throw err;
        return alreadyShipped(tid, companyCode, shipment.trackingNumber, err, signal);
      }
    },

    async pushStock(levels: readonly ShopStockLevel[], signal: AbortSignal): Promise<StockPushResult> {
      const unknownSkus: string[] = [];
      let updated = 0;
      for (const { sku, available } of levels) {
        const listing = config.listings[sku];
        if (!listing) {
          unknownSkus.push(sku);
          continue;
        }
        await client.call('taobao.item.quantity.update', { num_iid: listing.numIid, ...(listing.skuId ? { sku_id: listing.skuId } : {}), quantity: available, type: '1' }, signal);
        updated += 1;
      }
      return { updated, unknownSkus };
    },
  };

  /** B04: a repeat of our own send-back is a success; a closed trade (or another waybill) is not. */
  async function alreadyShipped(tid: string, companyCode: string, trackingNumber: string, refusal: TopApiError, signal: AbortSignal): Promise<DeliveryOutcome> {
    const trade = await fullTrade(tid, signal);
    const status = topText(trade.status) ?? '';
    const waybills = topList(trade.orders, 'order').flatMap((o) => (isRecord(o) && topText(o.invoice_no) ? [topText(o.invoice_no)] : []));
    if (SHIPPED_STATUSES.has(status) && (waybills.length === 0 || waybills.includes(trackingNumber))) {
      log.info({ tid, trackingNumber }, 'Taobao already shows the trade shipped with this waybill');
      return { partnerRef: `${companyCode}:${trackingNumber}`, responseBody: `already shipped (${status})` };
    }
    throw new PermanentPartnerError(`Taobao will not take the send-back of trade ${tid}: the trade is ${status || 'in an unknown state'}${waybills.length ? ` with waybill ${waybills.join(', ')}` : ''}`, refusal.response);
  }
}
