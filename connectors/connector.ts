import type { Logger } from 'pino';
import type { z } from 'zod';
import type { OrderEventName } from '../core/lifecycle/order-events';
import type { CanonicalOrder, OrderDraftInput } from '../core/order/order.types';
import type { Delivery } from '../core/store/store.port';

/**
 * A kind of outside system, as named by `kind:` in hub.yaml. One per folder under connectors/.
 * The registry (registry.ts) lists them explicitly; the config schema's discriminated union is
 * built from that list.
 */
export interface ConnectorDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Stable forever, kebab-case: 'rest-api', 'webhook-target'. */
  readonly kind: string;
  /** One line; goes into config/reference.md. */
  readonly summary: string;
  /** Config schema; every field carries .meta({ description }); secret fields are built with secret(). */
  readonly config: S;
  create(config: z.output<S>, deps: ConnectorDeps): Connector;
}

export interface ConnectorDeps {
  /** pino child bound to { connectorId }. */
  readonly log: Logger;
}

export interface Connector {
  readonly id: string;
  readonly kind: string;
  /** Inbound side: turns a body received for this connector into an order draft. */
  readonly mapper?: InboundMapper;
  /** Outbound side: one attempt per call; the pipeline owns retries, back-off and dead letters. */
  readonly target?: Target;
  /** Finishes in-flight work, then releases connections. Idempotent. */
  stop?(): Promise<void>;
}

/** Maps a partner's JSON body to the canonical draft shape (validated by intake afterwards). */
export interface InboundMapper {
  /** Which raw-message format this connector's bodies are stored under. */
  readonly format: string;
  map(body: unknown): Promise<OrderDraftInput>;
}

export interface DeliveryRequest {
  readonly delivery: Delivery;
  readonly event: OrderEventName;
  readonly order: CanonicalOrder;
}

export interface DeliveryOutcome {
  /** The partner's own id for what we created (ERP order number, waybill, signing flow). */
  readonly partnerRef?: string;
  readonly status?: number;
  /** The partner's answer, truncated, kept on the delivery record. */
  readonly responseBody?: string;
}

export interface Target {
  /**
   * One attempt. delivery.idempotencyKey = `${orderId}:${event}:${target}` goes to the partner.
   * @throws TransientPartnerError to retry (may carry retryAfterMs)
   * @throws PermanentPartnerError to dead-letter at once
   */
  deliver(request: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome>;
}
