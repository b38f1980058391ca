import { createHash } from 'node:crypto';
import { disorder, jsonObject, postCallback, startSandbox, withQueryOf, type CallbackDelivery, type Sandbox, type SandboxRequest } from './sandbox-server';

/**
 * kuaidi100's 电子面单下单 (`POST /label/order`) and its tracking push, as documented
 * (https://api.kuaidi100.com/document/dianzimiandanV2, https://apifox.com/apidoc/project-514987/api-55500331).
 * Signatures are recomputed here from the docs, not with the connector's code, so a wrong recipe
 * on either side shows. Like the real API, the waybill order has no idempotency key: every accepted
 * request opens a new waybill, and `duplicateReferences()` shows when one order got two.
 */

export interface Kuaidi100Trace {
  readonly trackingNumber: string;
  /** kuaidi100 state code, advanced or basic (`103`, `0`, `5`, `301` …). */
  readonly statusCode: string;
  /** China time, `YYYY-MM-DD HH:mm:ss`. */
  readonly time: string;
  readonly context: string;
  readonly areaName?: string;
}

interface Waybill {
  readonly orderId: string;
  readonly salt: string;
  readonly pollCallBackUrl: string;
}

export interface Kuaidi100Sandbox extends Sandbox {
  /** Waybills opened, by tracking number (kuaidinum). */
  readonly waybills: ReadonlyMap<string, Waybill>;
  /**
   * Pushes each trace the way kuaidi100 does: the shipment's whole history up to that trace,
   * newest first, signed MD5(param + salt) with the salt of its order, to `url` plus the order's
   * pollCallBackUrl query.
   */
  sendTrackingEvents(url: string, traces: readonly Kuaidi100Trace[], options?: { shuffle?: boolean; duplicate?: boolean }): Promise<CallbackDelivery[]>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

export async function startKuaidi100Sandbox(options: { readonly key: string; readonly secret: string }): Promise<Kuaidi100Sandbox> {
  const waybills = new Map<string, Waybill>();

  const check = (request: SandboxRequest) => {
    const form = new URLSearchParams(request.body);
    const param = form.get('param') ?? '';
    const t = form.get('t') ?? '';
    request.verified = form.get('key') === options.key && form.get('sign') === md5(param + t + options.key + options.secret);
    if (!request.verified) return { body: { success: false, code: 503, message: '验证签名失败' } };
    const order = jsonObject(param);
    if (form.get('method') !== 'order' || typeof order?.orderId !== 'string' || typeof order.salt !== 'string') {
      return { body: { success: false, code: 400, message: '参数错误' } };
    }
    request.reference = order.orderId;
    return undefined;
  };

  const sandbox = await startSandbox([
    {
      method: 'POST',
      path: '/label/order',
      check,
      commit: (request) => {
        const order = jsonObject(new URLSearchParams(request.body).get('param') ?? '') as { orderId: string; salt: string; pollCallBackUrl: string };
        const kuaidinum = `SF${String(1_400_000_000_000 + waybills.size + 1)}`;
        waybills.set(kuaidinum, { orderId: order.orderId, salt: order.salt, pollCallBackUrl: order.pollCallBackUrl });
        return { body: { success: true, code: 200, message: 'success', data: { taskId: `T${waybills.size}`, kuaidinum }, time: 12 } };
      },
    },
  ]);

  return {
    ...sandbox,
    waybills,
    async sendTrackingEvents(url, traces, sendOptions = {}) {
      const results: CallbackDelivery[] = [];
      for (const trace of disorder(traces, sendOptions)) {
        const waybill = waybills.get(trace.trackingNumber);
        if (!waybill) throw new Error(`sandbox opened no waybill ${trace.trackingNumber}`);
        const history = traces
          .filter((t) => t.trackingNumber === trace.trackingNumber && t.time <= trace.time)
          .sort((a, b) => b.time.localeCompare(a.time))
          .map((t) => ({ context: t.context, time: t.time, ftime: t.time, statusCode: t.statusCode, areaName: t.areaName }));
        const delivered = trace.statusCode.startsWith('3');
        const param = JSON.stringify({
          status: delivered ? 'shutdown' : 'polling',
          billstatus: '',
          message: '',
          lastResult: { message: 'ok', state: trace.statusCode, status: '200', condition: 'F00', ischeck: delivered ? '1' : '0', com: 'shunfeng', nu: trace.trackingNumber, data: history },
        });
        const form = new URLSearchParams({ param, sign: md5(param + waybill.salt) });
        results.push(await postCallback(withQueryOf(url, waybill.pollCallBackUrl), form.toString(), { 'content-type': 'application/x-www-form-urlencoded' }));
      }
      return results;
    },
  };
}
