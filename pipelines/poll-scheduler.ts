import type { Logger } from 'pino';
import type { PollingConnector } from './connectors';

/**
 * Polls each polling connector on its own interval. A poll still running when the next is due is
 * not started twice; a failed poll is logged and tried again at the next tick (a dead connection
 * is never read as "nothing there"). One scheduler process per deployment runs this.
 */
export class PollScheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly connectors: readonly { connector: PollingConnector; intervalMs: number }[],
    private readonly log: Logger,
  ) {}

  start(): void {
    for (const { connector, intervalMs } of this.connectors) {
      void this.pollOnce(connector);
      this.timers.push(setInterval(() => void this.pollOnce(connector), intervalMs));
    }
  }

  pollOnce(connector: PollingConnector): Promise<void> {
    const current = this.running.get(connector.id);
    if (current) return current;
    const run = connector
      .poll(this.abort.signal)
      .then(
        (result) => this.log.debug({ connectorId: connector.id, result }, 'poll done'),
        (err: unknown) => this.log.warn({ err, connectorId: connector.id }, 'poll failed; trying again at the next interval'),
      )
      .finally(() => this.running.delete(connector.id));
    this.running.set(connector.id, run);
    return run;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.abort.abort();
    await Promise.all(this.running.values());
  }
}
