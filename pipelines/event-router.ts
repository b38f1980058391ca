import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { DeliveryLog } from '../core/store/store.port';
import { deliveryId, deliveryIdempotencyKey } from './delivery-ids';
import { QUEUES } from './queues';

export interface Route {
  readonly on: string;
  readonly to: readonly string[];
}

/**
 * Fans a lifecycle event out to the delivery queue of every target routed for it. The delivery
 * row is written first (insert-if-absent), so a replayed event never makes a second delivery, and
 * a delivery already delivered or dead is not queued again.
 */
export function createEventRouter(deps: { routes: readonly Route[]; deliveries: DeliveryLog; queues: ReadonlyMap<string, Queue>; log: Logger }) {
  return async (job: Job): Promise<{ routed: string[] }> => {
    const event = QUEUES.events.payload.parse(job.data);
    const targets = [...new Set(deps.routes.filter((r) => r.on === event.name).flatMap((r) => r.to))];
    for (const target of targets) {
      const queue = deps.queues.get(target);
      if (!queue) throw new Error(`no delivery queue for target ${target}`);
      const id = deliveryId(event.orderId, event.name, target);
      const { delivery } = await deps.deliveries.ensure({
        id,
        idempotencyKey: deliveryIdempotencyKey(event.orderId, event.name, target),
        orderId: event.orderId,
        eventId: event.id,
        event: event.name,
        target,
        createdAt: new Date().toISOString(),
      });
      if (delivery.status === 'delivered' || delivery.status === 'dead') continue;
      await queue.add(event.name, { deliveryId: id }, { jobId: id });
      deps.log.debug({ orderId: event.orderId, deliveryId: id, target }, 'delivery queued');
    }
    return { routed: targets };
  };
}
