import { z } from 'zod';
import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { PartnerEvent } from '../connector';
import { issuesToDetails } from '../rest-api/zod-details';
import type { PartnerReply } from '../shared/http-client';
import type { EsignFadadaConfig } from './esign-fadada.config';

/**
 * The acceptance form (验收单) as a 法大大 signing task from a template (`/sign-task/create-with-template`,
 * fields as in the official SDK's CreateWithTemplateReq / AddActorsTempInfo): our company fills the
 * acceptance text into the template field, the customer signs; `transReferenceId` carries our
 * order id and comes back in every task event.
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

/**
 * The task, started at once (autoStart) and finalized once filled (autoFillFinalize).
 * @throws PermanentPartnerError when the order has no contact 法大大 could notify
 */
export function signTaskRequest(order: CanonicalOrder, config: EsignFadadaConfig): string {
  const contact = order.customer.contact;
  const notification = contact?.phone ? { notifyWay: 'mobile', notifyAddress: contact.phone } : contact?.email ? { notifyWay: 'email', notifyAddress: contact.email } : undefined;
  if (!notification) throw new PermanentPartnerError('法大大 needs to reach the signer: customer.contact.phone or .email is empty');
  return JSON.stringify({
    initiator: { idType: 'corp', openId: config.openCorpId },
    signTaskSubject: `验收单 ${order.poNumber ?? order.id}`.slice(0, 100),
    signTemplateId: config.signTemplateId,
    transReferenceId: order.id,
    autoStart: true,
    autoFillFinalize: true,
    callbackUrl: config.callbackUrl,
    actors: [
      {
        actor: { actorId: config.initiatorActorId, actorType: 'corp', actorOpenId: config.openCorpId, permissions: ['fill'] },
        fillFields: [{ fieldDocId: config.acceptanceField.docId, fieldId: config.acceptanceField.fieldId, fieldValue: acceptanceText(order) }],
      },
      {
        actor: { actorId: config.signerActorId, actorType: 'corp', actorName: order.customer.name, permissions: ['sign'], notification: { sendNotification: true, ...notification } },
      },
    ],
  });
}

export const SUCCESS = '100000';
/** 不可预知异常 (also "request expired"): 法大大 itself advises trying again later. */
const UNEXPECTED = '100001';
/** 访问凭证失效: the cached token is gone; a fresh one makes the next attempt succeed. */
export const TOKEN_INVALID = '100002';

const answer = z.object({ code: z.coerce.string(), msg: z.string().optional(), data: z.record(z.string(), z.unknown()).nullish() });

/**
 * A string field of 法大大's `{ code: "100000", data }` answer.
 * @throws TransientPartnerError for 100001 and 100002; PermanentPartnerError for any other code or a garbled answer
 */
export function answerField(reply: PartnerReply, field: string): string {
  const parsed = answer.safeParse(parseJson(reply.body));
  const response = { status: reply.status, body: reply.keptBody };
  if (!parsed.success) throw new PermanentPartnerError('法大大 answered something other than its result object', response);
  const { code, msg, data } = parsed.data;
  if (code === UNEXPECTED || code === TOKEN_INVALID) throw new TransientPartnerError(`法大大 code ${code}: ${msg ?? ''}`, response);
  // expiresIn is documented as a string; a number is read the same way.
  const raw = data?.[field];
  const value = typeof raw === 'number' ? String(raw) : raw;
  if (code !== SUCCESS || typeof value !== 'string' || value === '') throw new PermanentPartnerError(`法大大 code ${code}: ${msg ?? `no ${field}`}`, response);
  return value;
}

/** The `code` of a 法大大 answer body, when it is one. */
export function codeOf(body: string | undefined): string | undefined {
  const parsed = answer.safeParse(parseJson(body ?? ''));
  return parsed.success ? parsed.data.code : undefined;
}

type SignatureStatus = Extract<PartnerEvent, { kind: 'signature' }>['status'];

/** Task events (X-FASC-Event) that end the acceptance; others (joined, read, signed by one party …) give none. */
export const TASK_END_EVENTS: Readonly<Record<string, SignatureStatus>> = {
  'sign-task-finished': 'completed',
  'sign-task-sign-rejected': 'rejected',
  'sign-task-canceled': 'rejected', // revoked by us: the acceptance was not given
  'sign-task-expire': 'expired',
};

const taskEvent = z.object({
  signTaskId: z.string().min(1),
  transReferenceId: z.string().min(1),
  eventTime: z.string().regex(/^\d+$/, 'must be epoch milliseconds').optional(),
});

/**
 * 法大大 sends no event id: a task ends once, so `fadada-{signTaskId}-{event}` names the event and
 * stays the same on every retry (3m, 30m, 8h).
 * @throws ValidationError naming the field (`bizContent.transReferenceId` …)
 */
export function taskEvents(event: string, bizContent: string | null, receivedAt: number): PartnerEvent[] {
  const status = Object.hasOwn(TASK_END_EVENTS, event) ? TASK_END_EVENTS[event] : undefined;
  if (!status) return [];
  if (!bizContent) throw new ValidationError('法大大 callback without bizContent', [{ path: 'bizContent', message: 'is required' }]);
  const parsed = taskEvent.safeParse(parseJson(bizContent), { reportInput: true });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues, 'bizContent');
    throw new ValidationError(`malformed 法大大 callback: ${details.map((d) => d.path).join(', ')}`, details);
  }
  const { signTaskId, transReferenceId, eventTime } = parsed.data;
  return [
    {
      kind: 'signature',
      eventId: `fadada-${signTaskId}-${event}`,
      orderId: transReferenceId,
      occurredAt: new Date(eventTime ? Number(eventTime) : receivedAt).toISOString(),
      flowId: signTaskId,
      status,
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
