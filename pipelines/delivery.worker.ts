import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { PermanentPartnerError, TransientPartnerError } from '../core/errors/partner.error';
import type { OrderCommands } from '../core/lifecycle/order-commands';
import type { OrderEventName } from '../core/lifecycle/order-events';
import type { DeliveryStatus, HubStore } from '../core/store/store.port';
import type { Target } from '../connectors/connector';
import type { HubMetrics } from './metrics';
import { QUEUES } from './queues';

export interface DeliveryProcessorDeps {
  readonly targetId: string;
  readonly target: Target;
  readonly store: Pick<HubStore, 'deliveries' | 'orders'>;
  readonly commands: Pick<OrderCommands, 'recordDelivery'>;
  readonly log: Logger;
  readonly metrics: HubMetrics;
}

/**
 * One delivery attempt per job run. Every attempt, failed or not, is appended to the delivery log
 * with the partner's answer; the last allowed attempt, or a permanent failure, leaves it `dead`
 * until an operator replays it.
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  return async (job: Job, _token?: string, signal?: AbortSignal): Promise<{ partnerRef?: string }> => {
    const { deliveryId } = QUEUES.delivery.payload.parse(job.data);
    const log = deps.log.child({ deliveryId, jobId: job.id });
    const delivery = await deps.store.deliveries.get(deliveryId);
    if (!delivery) throw new UnrecoverableError(`delivery ${deliveryId} is not in the delivery log`);
    if (delivery.status === 'delivered') return delivery.partnerRef ? { partnerRef: delivery.partnerRef } : {};
    const order = await deps.store.orders.get(delivery.orderId);
    if (!order) throw new UnrecoverableError(`order ${delivery.orderId} of delivery ${deliveryId} does not exist`);

    const started = Date.now();
    const at = new Date(started).toISOString();
    try {
      const outcome = await deps.target.deliver({ delivery, event: delivery.event as OrderEventName, order }, signal ?? new AbortController().signal);
      // On the order first: if this fails the job is retried, and the partner sees the same idempotency key.
      if (outcome.partnerRef || outcome.shipment) {
        await deps.commands.recordDelivery({
          orderId: order.id,
          target: deps.targetId,
          event: delivery.event,
          ...(outcome.partnerRef ? { partnerRef: outcome.partnerRef } : {}),
          ...(outcome.shipment ? { shipment: outcome.shipment } : {}),
        });
      }
      await deps.store.deliveries.recordAttempt(
        deliveryId,
        { at, ok: true, durationMs: Date.now() - started, ...(outcome.status ? { status: outcome.status } : {}), ...(outcome.responseBody ? { responseBody: outcome.responseBody } : {}) },
        'delivered',
        outcome.partnerRef,
      );
      deps.metrics.deliveryAttempts.inc({ target: deps.targetId, outcome: 'delivered' });
      deps.metrics.deliveryLatency.observe({ target: deps.targetId }, (Date.now() - Date.parse(delivery.createdAt)) / 1000);
      log.info({ orderId: order.id, target: deps.targetId, partnerRef: outcome.partnerRef }, 'delivered');
      return outcome.partnerRef ? { partnerRef: outcome.partnerRef } : {};
    } catch (err) {
      const permanent = err instanceof PermanentPartnerError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const status: DeliveryStatus = permanent || lastAttempt ? 'dead' : 'retrying';
      const response = err instanceof PermanentPartnerError || err instanceof TransientPartnerError ? err.response : {};
      await deps.store.deliveries.recordAttempt(
        deliveryId,
        {
          at,
          ok: false,
          durationMs: Date.now() - started,
          error: err instanceof Error ? err.message : String(err),
          ...(response.status ? { status: response.status } : {}),
          ...(response.body ? { responseBody: response.body } : {}),
        },
        status,
      );
      deps.metrics.deliveryAttempts.inc({ target: deps.targetId, outcome: status });
      const level = status === 'dead' ? 'error' : 'warn';
      log[level]({ err, orderId: order.id, target: deps.targetId, attempt: job.attemptsMade + 1 }, status === 'dead' ? 'delivery dead-lettered' : 'delivery attempt failed; will retry');
      if (permanent) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}

/**
 * Retry delay: the partner's Retry-After when it sent one, else exponential from `baseMs` with
 * full jitter in the upper half (spreads a burst of retries after a partner outage), capped.
 */
export function partnerBackoff(baseMs: number, maxMs: number) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    if (err instanceof TransientPartnerError && err.retryAfterMs !== undefined) return err.retryAfterMs;
    const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
    return Math.round(exponential / 2 + Math.random() * (exponential / 2));
  };
}
