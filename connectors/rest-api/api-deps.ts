import type { Logger } from 'pino';
import type { CanonicalOrder, OrderStatus } from '../../core/order/order.types';
import type { Delivery, HubStore } from '../../core/store/store.port';
import type { CallbackRequest, InboundMapper } from '../connector';

/**
 * Roles an API key can carry. Mirrors `apiRole` in config/hub.schema.ts, re-declared because
 * connectors/ may not import config/. A role added to config but not here shows up as a type error
 * where pipelines/ passes `config.auth.apiKeys` into {@link RestApiDeps.apiKeys}.
 */
export const API_ROLES = ['admin', 'operator', 'intake', 'viewer', 'sales', 'finance', 'production'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** One configured API key: who holds it, what it may do, and `sha256:<64 hex>` of the key itself. */
export interface ApiKeyEntry {
  readonly name: string;
  readonly role: ApiRole;
  readonly hash: string;
}

/** Lifecycle commands the API exposes; implemented in pipelines/, where the store write and events meet. */
export interface OrderCommands {
  /**
   * Records one review decision signed by `role`.
   * @throws NotFoundError, IllegalTransitionError, ConflictError (→ 404, 409)
   */
  approve(input: {
    orderId: string;
    role: string;
    actor: string;
    decision: 'approved' | 'rejected';
    comment?: string;
  }): Promise<CanonicalOrder>;
  /**
   * Moves the order to `to` through the lifecycle table.
   * @throws NotFoundError, IllegalTransitionError, VersionConflictError (→ 404, 409)
   */
  changeStatus(input: { orderId: string; to: OrderStatus; actor: string; reason?: string }): Promise<CanonicalOrder>;
}

/** A queued intake job, as the queue reports it. */
export interface IntakeJobState {
  /** BullMQ's job state: 'waiting', 'active', 'delayed', 'completed', 'failed' … */
  readonly state: string;
  /** Reported by the parser while it runs (OCR: pages done of pages in the document). */
  readonly progress?: { readonly done: number; readonly total: number };
}

/** Everything the REST API needs; pipelines/ builds it from config and the running hub. */
export interface RestApiDeps {
  readonly store: HubStore;
  readonly log: Logger;
  readonly apiKeys: readonly ApiKeyEntry[];
  /** Largest accepted request body in bytes; larger intake bodies are refused (413) and not kept. */
  readonly bodyLimitBytes: number;
  /** Inbound mappers of the `rest-api` connectors, by connector id (`POST /api/v1/orders?connector=<id>`). */
  readonly mappers: ReadonlyMap<string, InboundMapper>;
  /** Port to the intake queue. A failure here is survivable: the sweeper re-queues unprocessed raw messages. */
  readonly intake: {
    enqueue(rawMessageId: string): Promise<void>;
    /** Where a raw message's intake job stands, and how far a long parse (OCR pages) got; undefined when no job is known. */
    job?(rawMessageId: string): Promise<IntakeJobState | undefined>;
  };
  /** Scanned documents uploaded at POST /api/v1/documents, read by OCR in intake. */
  readonly documents?: { readonly maxBytes: number };
  readonly deliveries: {
    /** Sets a dead delivery pending again and queues it; may throw ConflictError when it is not dead. */
    replay(deliveryId: string, actor: string): Promise<Delivery>;
  };
  readonly commands: OrderCommands;
  /** Partner callbacks: verified, deduplicated and applied elsewhere (pipelines/callbacks.ts). */
  readonly hooks: { accept(connectorId: string, request: CallbackRequest): Promise<{ status: number; contentType: string; body: string }> };
  readonly health: { ready(): Promise<{ ok: boolean; checks: Record<string, string> }> };
  /** Prometheus exposition, e.g. prom-client's `register`. */
  readonly metrics: { contentType: string; render(): Promise<string> };
  /** @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}
