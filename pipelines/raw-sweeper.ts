import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { RawMessageStore } from '../core/store/store.port';
import { QUEUES } from './queues';

/**
 * Queues raw messages again that were stored but never taken through intake (the process died
 * between the raw write and the enqueue, or Redis lost the job). Job id = raw message id, so a
 * message whose job is still waiting is not queued twice.
 */
export class RawSweeper {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly raw: RawMessageStore,
    private readonly intake: Queue,
    private readonly sweepAfterMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), Math.max(1_000, Math.floor(this.sweepAfterMs / 2)));
  }

  async sweep(): Promise<number> {
    const before = new Date(Date.now() - this.sweepAfterMs).toISOString();
    let requeued = 0;
    try {
      let cursor: string | undefined;
      do {
        const page = await this.raw.list({ status: 'received', receivedBefore: before, limit: 500, ...(cursor ? { cursor } : {}) });
        for (const message of page.items) {
          const job = await this.intake.getJob(message.id);
          if (job && !(await job.isCompleted()) && !(await job.isFailed())) continue;
          if (job) await job.remove();
          await this.intake.add('raw', { rawMessageId: message.id }, { ...QUEUES.intake.options, jobId: message.id });
          requeued += 1;
        }
        cursor = page.nextCursor;
      } while (cursor);
      if (requeued > 0) this.log.warn({ requeued }, 'raw messages left unprocessed were queued again');
    } catch (err) {
      this.log.error({ err }, 'raw sweep failed');
    }
    return requeued;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
