import { PermanentPartnerError } from '../../core/errors/partner.error';
import { SignatureError } from '../../core/errors/signature.error';
import type { CallbackRequest, ConnectorDefinition, DeliveryOutcome, DeliveryRequest } from '../connector';
import { postJson } from '../shared/http-client';
import { carrierKuaidi100Config, type CarrierKuaidi100Config } from './carrier-kuaidi100.config';
import { trackingEvents, waybillNumber, waybillParam } from './carrier-kuaidi100.mapping';
import { pushSalt, pushSign, requestSign, sameSign } from './kuaidi100.signing';

/**
 * kuaidi100 (快递100), chosen over SF Express (顺丰丰桥) because both of its halves are signed and
 * documented: SF's request digest is (msgDigest, https://open.sf-express.com/developSupport/976720),
 * but its route push (RoutePushService, described at https://www.showdoc.com.cn/hnqiao/9157102515696868)
 * carries no signature at all, so a tracking callback could not be verified by SF's own scheme.
 *
 * - Waybill: 电子面单下单 `POST {baseUrl}/label/order`, form `method=order&key&t&sign&param`,
 *   sign = MD5(param + t + key + secret) upper-case; the answer's `kuaidinum` is the tracking number
 *   (https://api.kuaidi100.com/document/dianzimiandanV2).
 * - Tracking: the order subscribes itself (needSubscribe, pollCallBackUrl, salt); kuaidi100 pushes
 *   form `param&sign` with sign = MD5(param + salt) (推送接口, https://apifox.com/apidoc/project-514987/api-8568518
 *   and https://apifox.com/apidoc/project-514987/api-55500331) and expects `{"result":true,"returnCode":"200"}`.
 *
 * Known limits, from the docs: the push carries no timestamp, so no freshness window can be
 * enforced (a replayed push only repeats event ids the hub has already seen); and 电子面单下单 has no
 * idempotency key, so an attempt whose answer was lost may open a second waybill (README.md).
 */

const ACCEPTED_EVENTS: ReadonlySet<string> = new Set(['order.confirmed', 'order.in_fulfillment']);
const ACK = JSON.stringify({ result: true, returnCode: '200', message: '成功' });

export const carrierKuaidi100 = {
  kind: 'carrier-kuaidi100',
  summary: 'Orders a kuaidi100 e-waybill (电子面单) and reads its salted-MD5 tracking pushes.',
  config: carrierKuaidi100Config,
  create(config: CarrierKuaidi100Config) {
    return {
      id: config.id,
      kind: 'carrier-kuaidi100',
      target: {
        async deliver({ event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
          if (!ACCEPTED_EVENTS.has(event)) throw new PermanentPartnerError(`carrier-kuaidi100 opens waybills on ${[...ACCEPTED_EVENTS].join(' or ')}, not ${event}`);
          const param = waybillParam(order, config, pushUrl(config, order.id), pushSalt(config.saltSecret, order.id));
          const t = String(Date.now());
          const form = new URLSearchParams({ method: 'order', key: config.key, t, sign: requestSign(param, t, config.key, config.secret), param });
          const reply = await postJson(`${config.baseUrl.replace(/\/+$/, '')}/label/order`, form.toString(), { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' }, {
            timeoutMs: config.timeoutMs,
            signal,
          });
          const trackingNumber = waybillNumber(reply);
          return { status: reply.status, responseBody: reply.keptBody, partnerRef: trackingNumber, shipment: { carrier: config.kuaidicom, trackingNumber } };
        },
      },
      callbacks: {
        verify(request: CallbackRequest) {
          const { param, sign, orderId } = pushParts(request);
          if (!sameSign(sign, pushSign(param, pushSalt(config.saltSecret, orderId)))) throw new SignatureError('signature.invalid', 'sign does not match MD5(param + salt)');
        },
        parse(request: CallbackRequest) {
          const { param, orderId } = pushParts(request);
          return trackingEvents(param, orderId, config.kuaidicom);
        },
        acknowledgement: { contentType: 'application/json', body: ACK },
      },
    };
  },
} satisfies ConnectorDefinition<typeof carrierKuaidi100Config>;

/** Where kuaidi100 pushes one order's tracking: the hook URL with our order id, which picks the salt. */
function pushUrl(config: CarrierKuaidi100Config, orderId: string): string {
  const url = new URL(config.callbackUrl);
  url.searchParams.set('orderId', orderId);
  return url.toString();
}

/** The signed parts of a push: form fields `param` and `sign` (raw body) and our `orderId` (URL). */
function pushParts(request: CallbackRequest): { param: string; sign: string; orderId: string } {
  const form = new URLSearchParams(request.rawBody.toString('utf8'));
  const param = form.get('param');
  const sign = form.get('sign');
  const orderId = request.query.orderId;
  if (!param || !sign) throw new SignatureError('signature.missing', 'form fields param and sign are required');
  if (!orderId) throw new SignatureError('signature.missing', 'orderId query parameter is required to derive the salt');
  return { param, sign, orderId };
}
