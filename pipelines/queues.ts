import { z } from 'zod';
import type { DefaultJobOptions } from 'bullmq';

/**
 * Every queue the hub uses, in one table: its name, default job options and payload schema.
 * BullMQ job ids may not contain ':' — the ids used here are uuids and `deliveryJobId()` values.
 */
export const QUEUES = {
  intake: {
    name: 'intake',
    payload: z.object({ rawMessageId: z.string().min(1) }),
    /** A crash mid-intake is retried; intake is idempotent on the raw message id. */
    options: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    },
  },
  events: {
    name: 'order-events',
    payload: z.object({
      id: z.string(),
      name: z.string(),
      orderId: z.string(),
      orderVersion: z.number(),
      at: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
    options: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 500 },
      // Kept an hour so a relay re-publishing after a crash hits the same job id and is ignored.
      removeOnComplete: { age: 3_600, count: 50_000 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    },
  },
  delivery: {
    /** One queue per target, so a slow partner never holds up another. */
    name: (targetId: string) => `deliver-${targetId}`,
    payload: z.object({ deliveryId: z.string().min(1) }),
    options: {
      backoff: { type: 'partner' },
      removeOnComplete: { age: 3_600, count: 10_000 },
      // Dead letters stay until replayed; the delivery log is the record an operator reads.
      removeOnFail: false,
    },
  },
} as const satisfies Record<string, { name: string | ((id: string) => string); payload: z.ZodType; options: DefaultJobOptions }>;

export type IntakeJob = z.output<typeof QUEUES.intake.payload>;
export type DeliveryJob = z.output<typeof QUEUES.delivery.payload>;
