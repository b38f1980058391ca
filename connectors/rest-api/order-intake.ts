import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ConflictError } from '../../core/errors/conflict.error';
import { HubError, type ErrorDetail } from '../../core/errors/hub-error';
import { NotFoundError } from '../../core/errors/not-found.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { RawMessage, RawMessageInput } from '../../core/store/store.port';
import { requirePrincipal } from './api-keys';
import { parseRestOrder, type ParseFailureCode } from './rest-order.parser';
import type { ApiContext } from './route-context';
import { parseRequest } from './zod-details';

/** Connector id and format of bodies posted without `?connector=`: the canonical draft as JSON. */
export const CANONICAL_CONNECTOR_ID = 'rest-api';
export const CANONICAL_JSON_FORMAT = 'canonical-json';

/** As the IETF Idempotency-Key draft and Stripe allow; longer keys are refused, not truncated. */
const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** The body is not JSON at all (or not UTF-8); category `user` answers 400. */
class MalformedJsonError extends HubError {
  constructor(message: string, details: readonly ErrorDetail[]) {
    super('request.malformed_json', message, 'user', { details });
  }
}

/** What every raw message stored by this route has, whether it is the order or a refused key reuse. */
type NewRaw = Omit<RawMessageInput, 'id' | 'idempotencyKey' | 'plannedOrderId' | 'quarantine'>;

const intakeQuery = z.strictObject({ connector: z.string().min(1).optional() });

function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header.length === 0 || header.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new HubError('request.invalid_idempotency_key', `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, 'user', {
      details: [{ path: 'header:Idempotency-Key', message: `has ${header.length} characters` }],
    });
  }
  return header;
}

/** The error a failed parse answers with; the same one is replayed for a retry with the same key. */
function parseFailure(code: ParseFailureCode, message: string, details: readonly ErrorDetail[], rawMessageId: string): HubError {
  const text = `${message} (kept as raw message ${rawMessageId})`;
  return code === 'request.malformed_json' ? new MalformedJsonError(text, details) : new ValidationError(text, details, code);
}

const PARSE_FAILURE_CODES: readonly string[] = ['request.malformed_json', 'validation.failed', 'mapping.failed'] satisfies ParseFailureCode[];

function accepted(res: Response, orderId: string, rawMessageId: string): void {
  const order = `/api/v1/orders/${orderId}`;
  res
    .status(202)
    .location(order)
    .json({ orderId, rawMessageId, status: 'received', links: { order, raw: `/api/v1/raw/${rawMessageId}` } });
}

function isTooLarge(err: unknown): err is { length?: number; received?: number; limit?: number } {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
}

/**
 * `POST /api/v1/orders`: keep the body, then judge it. The raw message is stored before parsing so
 * that even a body the API refuses can be inspected and replayed; only an oversize body is not kept
 * (reading it would defeat the limit), and that refusal is logged instead.
 */
export function intakeHandlers(ctx: ApiContext): (RequestHandler | ErrorRequestHandler)[] {
  const { store, intake, mappers } = ctx.deps;
  const rawBody = express.raw({ type: () => true, limit: ctx.deps.bodyLimitBytes });

  const logRefusedBody: ErrorRequestHandler = (err, req, res, next) => {
    if (isTooLarge(err)) {
      ctx.log(res).warn(
        { apiKey: requirePrincipal(res).name, size: err.length ?? err.received, limit: err.limit, contentType: req.get('content-type') },
        'order body over the size limit refused; not kept',
      );
    }
    next(err);
  };

  const receive: RequestHandler = async (req, res) => {
    const principal = requirePrincipal(res);
    const idempotencyKey = readIdempotencyKey(req.get('idempotency-key'));
    const { connector } = parseRequest(intakeQuery, req.query, 'query');
    const mapper = connector === undefined ? undefined : mappers.get(connector);
    if (connector !== undefined && !mapper) throw new NotFoundError('connector', connector);

    const meta = Object.fromEntries(
      Object.entries({ apiKey: principal.name, remoteAddress: req.ip, userAgent: req.get('user-agent') }).filter(([, v]) => v !== undefined),
    );
    const base: NewRaw = {
      connectorId: connector ?? CANONICAL_CONNECTOR_ID,
      channel: 'rest',
      format: mapper?.format ?? CANONICAL_JSON_FORMAT,
      contentType: req.get('content-type') ?? 'application/octet-stream',
      // express.raw leaves req.body undefined when the request has no body at all.
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      receivedAt: ctx.now(),
      meta,
    };
    const plannedOrderId = randomUUID();
    const input: RawMessageInput = { ...base, id: randomUUID(), plannedOrderId, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
    const { message, created } = await store.raw.put(input);
    if (!created) return replayEarlier(res, message, base, idempotencyKey);
    const log = ctx.log(res).child({ rawMessageId: message.id, orderId: plannedOrderId, connectorId: base.connectorId });

    const outcome = await parseRestOrder(message, mapper);
    if (!outcome.ok) {
      await store.raw.quarantine(message.id, outcome.code, outcome.details, ctx.now());
      log.info({ code: outcome.code, fields: outcome.details.length }, 'order body refused; raw message quarantined');
      throw parseFailure(outcome.code, outcome.message, outcome.details, message.id);
    }
    try {
      await intake.enqueue(message.id);
    } catch (err) {
      log.warn({ err }, 'could not queue raw message for intake; the sweeper will queue it');
    }
    log.info('order received');
    accepted(res, plannedOrderId, message.id);
  };

  /**
   * Same key, same bytes: the client is retrying, so it gets the first answer again (202 with the
   * same order id, or the same 400/422). Same key, other bytes: a client bug; the new body is kept
   * apart, quarantined and without the key, so both can be compared. Bytes are compared rather than
   * `contentHash`, which leaves the hash scheme to the store adapter.
   */
  async function replayEarlier(res: Response, earlier: RawMessage, base: NewRaw, idempotencyKey: string | undefined): Promise<void> {
    if (!earlier.body.equals(base.body)) {
      const details: ErrorDetail[] = [
        { path: 'header:Idempotency-Key', message: `already used for raw message ${earlier.id}, whose body differs` },
      ];
      // No plannedOrderId: the client was never told an order id for this body.
      const kept = await store.raw.put({
        ...base,
        id: randomUUID(),
        meta: { ...base.meta, idempotencyKey },
        quarantine: { reason: 'idempotency.key_reused', details },
      });
      ctx.log(res).warn({ rawMessageId: kept.message.id, earlierRawMessageId: earlier.id }, 'Idempotency-Key reused with a different body');
      throw new ConflictError(
        'idempotency.key_reused',
        `Idempotency-Key was already used with a different body; this body was kept as raw message ${kept.message.id}`,
        details,
      );
    }
    res.set('Idempotent-Replayed', 'true');
    if (earlier.status === 'quarantined' && earlier.reason !== undefined && PARSE_FAILURE_CODES.includes(earlier.reason)) {
      throw parseFailure(earlier.reason as ParseFailureCode, 'the first request with this Idempotency-Key was refused', earlier.details, earlier.id);
    }
    const orderId = earlier.plannedOrderId ?? earlier.orderIds[0];
    // Every body stored through this route has a planned order id; one without is not ours to answer for.
    if (orderId === undefined) throw new Error(`raw message ${earlier.id} has no planned order id`);
    accepted(res, orderId, earlier.id);
  }

  return [ctx.authenticate('orders:write'), rawBody, logRefusedBody, receive];
}
