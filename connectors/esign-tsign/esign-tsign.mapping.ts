import { z } from 'zod';
import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { PartnerEvent } from '../connector';
import { issuesToDetails } from '../rest-api/zod-details';
import type { PartnerReply } from '../shared/http-client';
import type { EsignTsignConfig } from './esign-tsign.config';

/**
 * The acceptance form (验收单) as e签宝 v3 requests: the configured template filled with the
 * order's acceptance text (填写模板生成文件, https://open.esign.cn/doc/opendoc/pdf-sign3/mv8a3i),
 * then a signing flow on that file for the customer (基于文件发起签署,
 * https://open.esign.cn/doc/opendoc/pdf-sign3/su5g42), and the flow-end callback in the hub's words.
 */

/** What the customer signs for: which order, which goods, what total. Plain text, one line each. */
export function acceptanceText(order: CanonicalOrder): string {
  return [
    `验收单 Delivery acceptance — 订单 ${order.id}${order.poNumber ? ` / 采购单 ${order.poNumber}` : ''}`,
    `客户 ${order.customer.name}`,
    ...order.lines.map((line) => `${line.lineNo}. ${line.sku}${line.description ? ` ${line.description}` : ''} × ${line.quantity} ${line.uom}`),
    `合计 ${order.currency} ${order.totals.gross}（含税）`,
    '上述货物已按订单交付，数量与外观验收合格。',
  ].join('\n');
}

/** e签宝 refuses these in file names (and emoji, which order data does not carry). */
const FILE_NAME_FORBIDDEN = /[/\\:*"<>|?？]/g;

export function templateFileRequest(order: CanonicalOrder, config: EsignTsignConfig): string {
  const fileName = `验收单-${order.poNumber ?? order.id}`.replace(FILE_NAME_FORBIDDEN, '-').slice(0, 96);
  return JSON.stringify({
    docTemplateId: config.docTemplateId,
    fileName,
    components: [{ componentKey: config.acceptanceComponentKey, componentValue: acceptanceText(order) }],
  });
}

/** The customer company, acting through its contact, who receives the signing link on this account. */
export interface Signer {
  readonly orgName: string;
  readonly account: string;
  readonly name?: string;
}

/** @throws PermanentPartnerError when the order has no contact e签宝 could reach */
export function signerOf(order: CanonicalOrder): Signer {
  const contact = order.customer.contact;
  const account = contact?.phone ?? contact?.email;
  if (!account) throw new PermanentPartnerError('e签宝 needs the signer\'s account: customer.contact.phone or .email is empty');
  return { orgName: order.customer.name, account, name: contact?.name };
}

/**
 * One signer, signing anywhere on the form (freeMode); autoFinish, so the flow completes (and its
 * completion is pushed) as soon as the signer is done.
 */
export function signFlowRequest(order: CanonicalOrder, signer: Signer, fileId: string, notifyUrl: string): string {
  return JSON.stringify({
    docs: [{ fileId, fileName: `验收单-${order.poNumber ?? order.id}.pdf`.replace(FILE_NAME_FORBIDDEN, '-') }],
    signFlowConfig: { signFlowTitle: `验收单 ${order.poNumber ?? order.id}`.slice(0, 100), autoStart: true, autoFinish: true, notifyUrl },
    signers: [
      {
        signerType: 1,
        orgSignerInfo: { orgName: signer.orgName, transactorInfo: { psnAccount: signer.account, psnInfo: signer.name ? { psnName: signer.name } : undefined } },
        signFields: [{ fileId, normalSignFieldConfig: { freeMode: true } }],
      },
    ],
  });
}

/** 文档未成功转换成pdf: the filled file is not ready yet; creating the flow again later succeeds. */
const FILE_NOT_READY = 1437513;

const answer = z.object({ code: z.number(), message: z.string().optional(), data: z.record(z.string(), z.unknown()).nullish() });

/**
 * A string field of e签宝's `{ code: 0, data }` success answer.
 * @throws TransientPartnerError for a file not ready yet; PermanentPartnerError for any other code or a garbled answer
 */
export function answerField(reply: PartnerReply, field: 'fileId' | 'signFlowId'): string {
  const parsed = answer.safeParse(parseJson(reply.body));
  const response = { status: reply.status, body: reply.keptBody };
  if (!parsed.success) throw new PermanentPartnerError('e签宝 answered something other than its result object', response);
  const { code, message, data } = parsed.data;
  if (code === FILE_NOT_READY) throw new TransientPartnerError(`e签宝 code ${code}: ${message ?? 'file not ready'}`, response);
  const value = data?.[field];
  if (code !== 0 || typeof value !== 'string' || value === '') throw new PermanentPartnerError(`e签宝 code ${code}: ${message ?? `no ${field}`}`, response);
  return value;
}

type SignatureStatus = Extract<PartnerEvent, { kind: 'signature' }>['status'];

/** SIGN_FLOW_COMPLETE's signFlowStatus (a string in callbacks): how the flow ended. */
export const FLOW_END_STATUSES: Readonly<Record<string, SignatureStatus>> = {
  '2': 'completed', // 已完成
  '3': 'rejected', // 已撤销: revoked, the acceptance was not given
  '5': 'expired', // 已过期
  '7': 'rejected', // 已拒签
};

const flowComplete = z.object({
  signFlowId: z.string().min(1),
  signFlowStatus: z.coerce.string().refine((s) => Object.hasOwn(FLOW_END_STATUSES, s), { message: `must be one of ${Object.keys(FLOW_END_STATUSES).join(', ')}` }),
  signFlowFinishTime: z.number().int().positive().optional(),
  timestamp: z.number().int().positive().optional(),
});

/**
 * Only the flow's end (`SIGN_FLOW_COMPLETE`) is an event; other actions (each signer done, …)
 * are acknowledged and give none. e签宝 sends no event id: a flow ends once, so
 * `tsign-{signFlowId}-{signFlowStatus}` names the event and stays the same on every retry.
 * @throws ValidationError naming the field (`signFlowStatus`, `query.orderId` …)
 */
export function flowEvents(rawBody: Buffer, orderId: string | undefined, receivedAt: number): PartnerEvent[] {
  const body = parseJson(rawBody.toString('utf8'));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('e签宝 callback is not a JSON object', [{ path: 'body', message: 'must be a JSON object' }]);
  const { action } = body as { action?: unknown };
  if (typeof action !== 'string') throw new ValidationError('e签宝 callback without action', [{ path: 'action', message: 'is required' }]);
  if (action !== 'SIGN_FLOW_COMPLETE') return [];
  const parsed = flowComplete.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues);
    throw new ValidationError(`malformed e签宝 callback: ${details.map((d) => d.path).join(', ')}`, details);
  }
  if (!orderId) throw new ValidationError('e签宝 callback without our order id', [{ path: 'query.orderId', message: 'is required (it is set in the notifyUrl)' }]);
  const { signFlowId, signFlowStatus, signFlowFinishTime, timestamp } = parsed.data;
  return [
    {
      kind: 'signature',
      eventId: `tsign-${signFlowId}-${signFlowStatus}`,
      orderId,
      occurredAt: new Date(signFlowFinishTime ?? timestamp ?? receivedAt).toISOString(),
      flowId: signFlowId,
      status: FLOW_END_STATUSES[signFlowStatus] as SignatureStatus,
    },
  ];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
