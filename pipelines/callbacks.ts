import type { Logger } from 'pino';
import { NotFoundError } from '../core/errors/not-found.error';
import { SignatureError } from '../core/errors/signature.error';
import { ValidationError } from '../core/errors/validation.error';
import type { OrderCommands } from '../core/lifecycle/order-commands';
import type { HubStore } from '../core/store/store.port';
import type { CallbackHandler, CallbackRequest, WebhookIntake } from '../connectors/connector';

export interface CallbackAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Headers worth keeping with a callback's raw message; signatures included, for later audit. */
const KEPT_HEADERS = /^(content-type|user-agent|x-request-id|webhook-|x-tsign-|x-fasc-|x-sf-|x-kuaidi100-|x-signature|x-timestamp)/;

/**
 * Partner callbacks (POST /api/v1/hooks/:connectorId): kept raw first, then verified on the raw
 * bytes, parsed, deduplicated by the partner's event id (intake ledger), and applied to the order
 * through the lifecycle. A bad signature, a stale timestamp or a malformed body changes nothing
 * and leaves the raw message quarantined with the reason.
 */
export class CallbackService {
  constructor(
    private readonly store: Pick<HubStore, 'raw' | 'ledger' | 'orders'>,
    private readonly commands: Pick<OrderCommands, 'applyPartnerEvent'>,
    private readonly handlers: ReadonlyMap<string, CallbackHandler>,
    private readonly log: Logger,
    /** Connectors whose partners push orders here (shop webhooks): they keep and take the orders themselves. */
    private readonly intakes: ReadonlyMap<string, WebhookIntake> = new Map(),
  ) {}

  async accept(connectorId: string, request: CallbackRequest): Promise<CallbackAnswer> {
    const intake = this.intakes.get(connectorId);
    if (intake) return intake.receive(request);
    const handler = this.handlers.get(connectorId);
    if (!handler) throw new NotFoundError('connector', connectorId);
    const now = new Date(request.receivedAt).toISOString();
    const { message } = await this.store.raw.put({
      connectorId,
      channel: 'webhook',
      format: 'callback',
      contentType: request.headers['content-type'] ?? 'application/octet-stream',
      body: request.rawBody,
      receivedAt: now,
      meta: { headers: Object.fromEntries(Object.entries(request.headers).filter(([k]) => KEPT_HEADERS.test(k))) },
    });
    const log = this.log.child({ connectorId, rawMessageId: message.id });

    let events;
    try {
      handler.verify(request);
      events = handler.parse(request);
    } catch (err) {
      if (err instanceof SignatureError || err instanceof ValidationError) {
        await this.store.raw.quarantine(message.id, err.code, err.details.length ? err.details : [{ path: '', message: err.message }], now);
        log.warn({ reason: err.code }, 'callback refused');
      }
      throw err;
    }

    const orderIds: string[] = [];
    const unknown: string[] = [];
    let duplicates = 0;
    for (const event of events) {
      if (await this.store.ledger.get(connectorId, `event:${event.eventId}`)) {
        duplicates += 1;
        continue;
      }
      if (!(await this.store.orders.get(event.orderId))) {
        unknown.push(event.orderId);
        continue;
      }
      const { changed } = await this.commands.applyPartnerEvent(connectorId, event);
      // Recorded after the order write: a crash in between only means the next copy is applied, and applying is idempotent.
      await this.store.ledger.record({ connectorId, key: `event:${event.eventId}`, at: now, rawMessageId: message.id, data: { kind: event.kind, orderId: event.orderId } });
      orderIds.push(event.orderId);
      if (!changed) duplicates += 1;
    }
    if (unknown.length > 0) {
      await this.store.raw.quarantine(message.id, 'order.not_found', unknown.map((id) => ({ path: 'orderId', message: `no order ${id}` })), now);
      log.warn({ unknown }, 'callback names unknown orders');
      throw new NotFoundError('order', unknown.join(', '));
    }
    await this.store.raw.markProcessed(message.id, [...new Set(orderIds)], now);
    log.info({ events: events.length, duplicates, orderIds }, 'callback applied');
    return handler.acknowledgement
      ? { status: 200, ...handler.acknowledgement }
      : { status: 200, contentType: 'application/json', body: JSON.stringify({ received: events.length, duplicates }) };
  }
}
