import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { OutboxStore } from '../core/store/store.port';
import { QUEUES } from './queues';

/** Events moved per round; a round repeats at once while it finds a full batch. */
const BATCH = 500;

/**
 * Moves events written to the store's outbox into the events queue. The job id is the event id,
 * so publishing again after a crash between add and markPublished is ignored by BullMQ.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly events: Queue,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.schedule();
  }

  /** Publishes soon instead of at the next poll; intake calls it after writing an order. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      } else this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.kick(), this.pollMs);
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.outbox.unpublished(BATCH);
        if (batch.length === 0) return;
        await this.events.addBulk(batch.map((event) => ({ name: event.name, data: event, opts: { ...QUEUES.events.options, jobId: event.id } })));
        await this.outbox.markPublished(batch.map((e) => e.id), new Date().toISOString());
        if (batch.length < BATCH || this.stopped) return;
      }
    } catch (err) {
      this.log.error({ err }, 'outbox relay round failed; retrying at the next poll');
    }
  }
}
