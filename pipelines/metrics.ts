import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OrderStore } from '../core/store/store.port';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** Prometheus metrics of one hub process; gauges that need a query are filled at scrape time. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly intake = new Counter({ name: 'order_hub_intake_total', help: 'Raw messages taken through intake, by outcome.', labelNames: ['outcome'], registers: [this.registry] });
  readonly deliveryAttempts = new Counter({
    name: 'order_hub_delivery_attempts_total',
    help: 'Delivery attempts, by target and outcome.',
    labelNames: ['target', 'outcome'],
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram({
    name: 'order_hub_delivery_latency_seconds',
    help: 'From the event that asked for a delivery to the partner accepting it.',
    labelNames: ['target'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [this.registry],
  });

  constructor(queues: () => readonly Queue[], orders: Pick<OrderStore, 'countByStatus'>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'order_hub_' });
    new Gauge({
      name: 'order_hub_queue_jobs',
      help: 'Jobs per queue and state.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of queues()) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'order_hub_orders',
      help: 'Orders in the store, by status.',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [status, count] of Object.entries(await orders.countByStatus())) this.set({ status }, count ?? 0);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
