import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { PartnerEvent } from '../connector';
import { issuesToDetails } from '../rest-api/zod-details';
import type { PartnerReply } from '../shared/http-client';
import type { CarrierKuaidi100Config } from './carrier-kuaidi100.config';

/**
 * The order as kuaidi100's 电子面单下单 `param` (fields as in the official SDK's labelV2 OrderReq,
 * https://github.com/kuaidi100-api/java-demo), its answer, and its tracking push (快递信息推送,
 * `param` JSON with `lastResult.data[]` newest first) in the hub's words.
 */

/** Asks for advanced status codes on every trace (resultv2=4), so each trace maps on its own. */
const ADVANCED_STATUS = '4';

/** @throws PermanentPartnerError when the order lacks what kuaidi100 requires of a recipient */
export function waybillParam(order: CanonicalOrder, config: CarrierKuaidi100Config, pollCallBackUrl: string, salt: string): string {
  const contact = order.customer.contact;
  const printAddr = [order.shipTo?.region, order.shipTo?.city, order.shipTo?.street].filter(Boolean).join('');
  if (!contact?.phone) throw new PermanentPartnerError('kuaidi100 needs the recipient\'s phone: customer.contact.phone is empty');
  if (!order.shipTo?.street) throw new PermanentPartnerError('kuaidi100 needs the recipient\'s address: shipTo.street is empty');
  return JSON.stringify({
    printType: 'NON',
    kuaidicom: config.kuaidicom,
    partnerId: config.partnerId,
    partnerKey: config.partnerKey,
    net: config.net,
    recMan: { name: order.shipTo.name ?? contact.name ?? order.customer.name, mobile: contact.phone, printAddr, company: order.customer.name },
    sendMan: config.sender,
    cargo: config.cargo,
    count: 1,
    payType: config.payType,
    expType: config.expType,
    remark: order.poNumber ? `PO ${order.poNumber}` : undefined,
    orderId: order.id,
    needSubscribe: true,
    pollCallBackUrl,
    salt,
    resultv2: ADVANCED_STATUS,
  });
}

const waybillAnswer = z.object({
  code: z.coerce.number(),
  message: z.string().optional(),
  data: z.object({ kuaidinum: z.string().min(1) }).nullish(),
});

/** kuaidi100's "server error" code: its own doc says a retry may succeed. */
const SERVER_ERROR = 500;

/**
 * kuaidi100 answers HTTP 200 with its own code: 200 with a `kuaidinum` is the waybill.
 * @throws TransientPartnerError for code 500; PermanentPartnerError for any other code or a garbled answer
 */
export function waybillNumber(reply: PartnerReply): string {
  const parsed = waybillAnswer.safeParse(parseJson(reply.body));
  const response = { status: reply.status, body: reply.keptBody };
  if (!parsed.success) throw new PermanentPartnerError('kuaidi100 answered something other than its result object', response);
  const { code, message, data } = parsed.data;
  if (code === SERVER_ERROR) throw new TransientPartnerError(`kuaidi100 code ${code}: ${message ?? ''}`, response);
  if (code !== 200 || !data) throw new PermanentPartnerError(`kuaidi100 code ${code}: ${message ?? 'no kuaidinum'}`, response);
  return data.kuaidinum;
}

type TrackingStatus = Extract<PartnerEvent, { kind: 'tracking' }>['status'];

/**
 * kuaidi100's state codes (basic and resultv2 advanced) in the hub's words, per the state table of
 * https://apifox.com/apidoc/project-514987/api-8562559. `null`: a trace that moves nothing (the
 * order is placed but not yet collected), so no event is made of it.
 */
export const STATE_CODES: Readonly<Record<string, TrackingStatus | null>> = {
  '1': 'picked_up', // 揽收
  '101': null, // 已下单
  '102': null, // 待揽收
  '103': 'picked_up', // 已揽收
  '0': 'in_transit', // 在途
  '1001': 'in_transit', // 到达派件城市
  '1002': 'in_transit', // 干线
  '1003': 'in_transit', // 转递
  '8': 'in_transit', // 清关
  '5': 'out_for_delivery', // 派件
  '501': 'out_for_delivery', // 投柜或驿站
  '3': 'delivered', // 签收
  '301': 'delivered', // 本人签收
  '302': 'delivered', // 派件异常后签收
  '303': 'delivered', // 代签
  '304': 'delivered', // 投柜或站签收
  '2': 'exception', // 疑难
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(201 + i), 'exception' as const])), // 疑难: 超时, 拒收, 派件异常 …
  '4': 'exception', // 退签
  '401': 'exception', // 已销单
  '6': 'exception', // 退回
  '7': 'exception', // 转投
  '14': 'exception', // 拒签
};

const CHINA_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

const pushParam = z.object({
  status: z.string(),
  lastResult: z.object({
    nu: z.string().min(1),
    state: z.string().optional(),
    data: z.array(
      z.object({
        context: z.string(),
        ftime: z.string().regex(CHINA_TIME, 'must be "YYYY-MM-DD HH:mm:ss"'),
        statusCode: z.string().optional(),
        areaName: z.string().optional(),
      }),
    ),
  }),
});

/**
 * One event per trace whose status is known: a trace's own `statusCode`, or for the newest trace
 * the shipment's `state`. kuaidi100 gives no event id and resends the whole history (全量) on every
 * push, so a trace's id is a hash of (tracking number, time, text): the same trace in a later push
 * gets the same id, and the hub's dedup keeps it once. Times are China time (UTC+8).
 * @throws ValidationError naming the field (`param.lastResult.data[2].statusCode` …)
 */
export function trackingEvents(param: string, orderId: string, carrier: string): PartnerEvent[] {
  const parsed = pushParam.safeParse(parseJson(param), { reportInput: true });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues, 'param');
    throw new ValidationError(`malformed kuaidi100 push: ${details.map((d) => d.path).join(', ') || 'param'}`, details);
  }
  const { nu, state, data } = parsed.data.lastResult;
  return data.flatMap((trace, i) => {
    const code = trace.statusCode ?? (i === 0 ? state : undefined);
    if (code === undefined) return [];
    if (!Object.hasOwn(STATE_CODES, code)) {
      const path = trace.statusCode === undefined ? 'param.lastResult.state' : `param.lastResult.data[${i}].statusCode`;
      throw new ValidationError(`unknown kuaidi100 state ${code}`, [{ path, message: `unknown state code ${code}` }]);
    }
    const status = STATE_CODES[code];
    if (!status) return [];
    const [, day, time] = CHINA_TIME.exec(trace.ftime) as RegExpExecArray;
    const eventId = createHash('sha256').update(`${nu}\u0000${trace.ftime}\u0000${trace.context}`).digest('hex').slice(0, 32);
    return [{ kind: 'tracking', eventId: `kd100-${eventId}`, orderId, occurredAt: `${day}T${time}+08:00`, carrier, trackingNumber: nu, status, location: trace.areaName, description: trace.context }];
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
