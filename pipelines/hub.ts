import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { HubError } from '../core/errors/hub-error';
import { OrderCommands } from '../core/lifecycle/order-commands';
import type { Delivery, HubStore } from '../core/store/store.port';
import type { CallbackHandler, Connector, InboundMapper, WebhookIntake } from '../connectors/connector';
import { isShopConnector } from '../connectors/shop/shop.connector';
import { withRuleOverrides } from '../core/rules/rule-overrides';
import type { IntakeJobState } from '../connectors/rest-api/api-deps';
import { createApiApp } from '../connectors/rest-api/server';
import type { HubConfig } from '../config/hub.schema';
import { CallbackService } from './callbacks';
import { rawDocumentArchive } from '../connectors/documents/document-archive';
import { createFormatParsers } from '../connectors/registry';
import { createAcknowledger } from './acknowledge';
import { createConnectors, isPolling } from './connectors';
import { PollScheduler } from './poll-scheduler';
import { stockSyncJobs } from './stock-sync';
import { CronScheduler } from './schedules/cron-scheduler';
import { shopPollSchedules, shopStockOutJobs } from './shop-schedules';
import { createDeliveryProcessor, partnerBackoff } from './delivery.worker';
import { createEventRouter } from './event-router';
import { createIntakeProcessor } from './intake.worker';
import { HubMetrics } from './metrics';
import { openStore } from './open-store';
import { OutboxRelay } from './outbox-relay';
import { QUEUES } from './queues';
import { RawSweeper } from './raw-sweeper';
import { createRedisConnection } from './redis/connection';
import { ManagedRedisServer } from './redis/managed-redis-server';
import { startContractScanning } from './ocr';
import { loadReferenceData } from './reference-data.loader';
import { planRole, type Role } from './roles';

export interface HubOptions {
  readonly config: HubConfig;
  readonly role: Role;
  readonly log: Logger;
  /** Redis key prefix of every queue; tests use a fresh one each. @defaultValue 'order-hub' */
  readonly queuePrefix?: string;
  /** "Now" for intake's checks; tests fix it to check dated documents (contracts) as of their date. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

export interface Hub {
  readonly store: HubStore;
  readonly redisUrl: string;
  /** Where the REST API listens, when this process runs it. */
  readonly apiUrl?: string;
  readonly metrics: HubMetrics;
  /** Stops taking work, finishes what is in flight, then closes everything. Idempotent. */
  stop(): Promise<void>;
}

/** Events routed at once per process: routing is one store write and one queue add, I/O bound. */
const ROUTER_CONCURRENCY = 16;

/**
 * Wires one hub process: Redis, store, reference data, connectors, queues, and — by role — the
 * workers, the scheduler's sweeps and the REST API. Everything started is stopped in reverse order.
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const { config, log } = options;
  const plan = planRole(options.role);
  const prefix = options.queuePrefix ?? 'order-hub';
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  const onStop = (name: string, close: () => Promise<unknown>) => closers.push({ name, close });

  const stop = async () => {
    for (const { name, close } of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        log.error({ err, component: name }, 'error while stopping');
      }
    }
  };

  try {
    const redisUrl = await resolveRedis(config, options.role, log, onStop);
    const store = await openStore(config.store);
    onStop('store', () => store.close());
    await loadReferenceData(config.referenceData, store, log);
    // One OCR engine per process, closed after the workers that use it.
    const scanning = startContractScanning(config.ocr, plan.workers, log);
    onStop('ocr engine', () => scanning.close());
    const parsers = createFormatParsers(scanning.parser);

    // Bound once the intake queue exists: connectors are built first because their targets decide the delivery queues.
    let enqueueIntake: (rawMessageId: string) => Promise<unknown> = async () => undefined;
    const archive = rawDocumentArchive(store.raw);
    const connectors = createConnectors(config.connectors, {
      log,
      parsers,
      sequences: store.sequences,
      archive,
      ledger: store.ledger,
      cursors: store.cursors,
      inventory: store.inventory,
      raw: {
        async write(input) {
          const result = await store.raw.put(input);
          if (result.created && result.message.status === 'received') await enqueueIntake(result.message.id).catch((err: unknown) => log.warn({ err, rawMessageId: result.message.id }, 'intake not queued; the sweeper will'));
          return result;
        },
      },
    });
    const mappers = new Map(connectors.filter((c): c is Connector & { mapper: InboundMapper } => !!c.mapper).map((c) => [c.id, c.mapper]));
    const targets = connectors.filter((c) => c.target);
    const callbackHandlers = new Map(connectors.filter((c): c is Connector & { callbacks: CallbackHandler } => !!c.callbacks).map((c) => [c.id, c.callbacks]));
    const webhookIntakes = new Map(connectors.filter((c): c is Connector & { webhookIntake: WebhookIntake } => !!c.webhookIntake).map((c) => [c.id, c.webhookIntake]));
    const shops = connectors.filter(isShopConnector);
    const connectorRules = new Map(
      config.connectors.flatMap((c) => ('rules' in c && c.rules ? [[c.id, withRuleOverrides(config.rules, c.rules)] as const] : [])),
    );

    const connections: Redis[] = [];
    const connection = (name: string) => {
      const c = createRedisConnection(redisUrl, name);
      c.on('error', (err) => log.warn({ err: err.message, connection: name }, 'redis connection error'));
      connections.push(c);
      return c;
    };
    onStop('redis connections', () => Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect()))));

    onStop('connectors', () => Promise.all(connectors.map((c) => c.stop?.())));
    const queueConnection = connection('order-hub:queues');
    const intakeQueue = new Queue(QUEUES.intake.name, { connection: queueConnection, prefix, defaultJobOptions: QUEUES.intake.options });
    const eventsQueue = new Queue(QUEUES.events.name, { connection: queueConnection, prefix, defaultJobOptions: QUEUES.events.options });
    enqueueIntake = (rawMessageId) => intakeQueue.add('raw', { rawMessageId }, { jobId: rawMessageId });
    const deliveryQueues = new Map(
      targets.map((t) => [
        t.id,
        new Queue(QUEUES.delivery.name(t.id), { connection: queueConnection, prefix, defaultJobOptions: { ...QUEUES.delivery.options, attempts: config.pipeline.deliveryAttempts } }),
      ]),
    );
    const queues = [intakeQueue, eventsQueue, ...deliveryQueues.values()];
    for (const q of queues) q.on('error', (err) => log.warn({ err, queue: q.name }, 'queue error'));
    onStop('queues', () => Promise.all(queues.map((q) => q.close())));
    const metrics = new HubMetrics(() => queues, store.orders);
    const commands = new OrderCommands(store);

    if (plan.workers) {
      const relay = new OutboxRelay(store.outbox, eventsQueue, config.pipeline.outboxPollMs, log.child({ component: 'outbox-relay' }));
      const workers: Worker[] = [];
      const worker = (name: string, processor: (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown>, opts: Omit<WorkerOptions, 'connection' | 'prefix'>) => {
        const w = new Worker(name, processor, { connection: connection(`order-hub:${name}`), prefix, ...opts });
        w.on('error', (err) => log.warn({ err, queue: name }, 'worker error'));
        workers.push(w);
        return w;
      };
      const acknowledge = createAcknowledger({ connectors, configs: config.connectors, sequences: store.sequences, archive, log: log.child({ component: 'acknowledge' }) });
      const intakeWorker = worker(
        QUEUES.intake.name,
        createIntakeProcessor({
          store,
          settings: config.rules,
          settingsFor: (connectorId) => connectorRules.get(connectorId),
          mappers,
          parsers,
          mappingFor: (connectorId, format) => partnerMapping(config, connectorId, format),
          log: log.child({ component: 'intake' }),
          metrics,
          onOrderStored: () => relay.kick(),
          acknowledge,
          archive,
          enqueue: (rawMessageId) => enqueueIntake(rawMessageId),
          ...(options.now ? { now: options.now } : {}),
        }),
        { concurrency: config.pipeline.intakeConcurrency },
      );
      intakeWorker.on('failed', (job, err) => void quarantineAfterLastAttempt(store, job, err, log));
      worker(QUEUES.events.name, createEventRouter({ routes: config.routes, deliveries: store.deliveries, queues: deliveryQueues, log: log.child({ component: 'router' }) }), {
        concurrency: ROUTER_CONCURRENCY,
      });
      for (const target of targets) {
        const targetConfig = config.connectors.find((c) => c.id === target.id);
        const limits = targetConfig && 'concurrency' in targetConfig ? (targetConfig as { concurrency: number; rateLimit?: { max: number; durationMs: number } }) : undefined;
        worker(
          QUEUES.delivery.name(target.id),
          createDeliveryProcessor({ targetId: target.id, target: target.target!, store, commands, log: log.child({ component: 'delivery', target: target.id }), metrics }),
          {
            concurrency: limits?.concurrency ?? 4,
            ...(limits?.rateLimit ? { limiter: { max: limits.rateLimit.max, duration: limits.rateLimit.durationMs } } : {}),
            settings: { backoffStrategy: partnerBackoff(config.pipeline.backoffMs, config.pipeline.maxBackoffMs) },
          },
        );
      }
      relay.start();
      // Workers close before the relay: in-flight jobs finish, then the last events are published.
      onStop('outbox relay', () => relay.stop());
      onStop('workers', () => Promise.all(workers.map((w) => w.close())));
    }

    if (plan.scheduler) {
      const sweeper = new RawSweeper(store.raw, intakeQueue, config.pipeline.sweepAfterMs, log.child({ component: 'sweeper' }));
      sweeper.start();
      onStop('sweeper', async () => sweeper.stop());
      // Push connectors (IMAP IDLE) run their own loop, which reconciles on every (re)connect.
      const sources = new AbortController();
      for (const connector of connectors.filter((c) => c.start)) {
        connector.start!(sources.signal).catch((err: unknown) => log.warn({ err, connectorId: connector.id }, 'source did not start cleanly; it keeps retrying'));
      }
      onStop('sources', async () => sources.abort());
      // A push source is polled too, as a fallback reconcile; its poll joins a pass already running.
      const polling = connectors.filter(isPolling).filter((c) => !isShopConnector(c)).map((connector) => {
        const cfg = config.connectors.find((c) => c.id === connector.id) as { pollIntervalMs?: number } | undefined;
        return { connector, intervalMs: cfg?.pollIntervalMs ?? 30_000 };
      });
      const polls = new PollScheduler([...polling, ...stockSyncJobs(connectors, config.connectors, store.inventory), ...shopStockOutJobs(shops)], log.child({ component: 'poll-scheduler' }));
      polls.start();
      onStop('poll scheduler', () => polls.stop());
      // Shop catch-up polls run on cron schedules, each firing once across every hub process (a Redis lock).
      const cron = new CronScheduler({ redis: connection('order-hub:schedules'), keyPrefix: prefix, log: log.child({ component: 'schedules' }) });
      for (const job of shopPollSchedules(shops)) cron.add(job);
      cron.start();
      onStop('schedules', () => cron.stop());
    }

    let apiUrl: string | undefined;
    if (plan.api) {
      const app = createApiApp({
        store,
        log: log.child({ component: 'api' }),
        apiKeys: config.auth.apiKeys,
        bodyLimitBytes: config.http.bodyLimitBytes,
        mappers,
        intake: {
          enqueue: (rawMessageId) => queueAgain(intakeQueue, rawMessageId),
          job: (rawMessageId) => intakeJobState(intakeQueue, rawMessageId),
        },
        documents: { maxBytes: config.ocr.maxInputBytes },
        deliveries: { replay: (id, actor) => replayDelivery(store, deliveryQueues, id, actor, log) },
        commands,
        hooks: new CallbackService(store, commands, callbackHandlers, log.child({ component: 'callbacks' }), webhookIntakes),
        health: {
          async ready() {
            const checks: Record<string, string> = {};
            checks.store = await store.ping().then(() => 'ok', (err: Error) => `down: ${err.message}`);
            checks.redis = await queueConnection.ping().then(() => 'ok', (err: Error) => `down: ${err.message}`);
            return { ok: Object.values(checks).every((v) => v === 'ok'), checks };
          },
        },
        metrics,
      });
      const server = await listen(app, config.http.port, config.http.host);
      const address = server.address() as AddressInfo;
      apiUrl = `http://${config.http.host}:${address.port}`;
      onStop('http server', () => closeServer(server));
      log.info({ url: apiUrl }, 'REST API listening');
    }

    log.info({ role: options.role, store: store.kind, targets: targets.map((t) => t.id) }, 'hub started');
    return { store, redisUrl, ...(apiUrl ? { apiUrl } : {}), metrics, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function resolveRedis(config: HubConfig, role: Role, log: Logger, onStop: (name: string, close: () => Promise<unknown>) => void): Promise<string> {
  const url = config.redis.url;
  if (url && url !== 'managed') return url;
  if (role !== 'all') {
    throw new HubError('redis.url_required', `role "${role}" shares Redis with other hub processes: set redis.url (REDIS_URL)`, 'user');
  }
  const managed = new ManagedRedisServer({ ...config.redis.managed, log: log.child({ component: 'managed-redis' }) });
  await managed.start();
  onStop('managed redis-server', () => managed.stop());
  return managed.url;
}

/**
 * Queues a raw message's intake, also when it ran before (a replay): its finished job is still kept
 * under the same id (removeOnComplete/removeOnFail), and BullMQ ignores an add for a job id it has.
 */
async function queueAgain(queue: Queue, rawMessageId: string): Promise<void> {
  const earlier = await queue.getJob(rawMessageId);
  if (earlier && ((await earlier.isCompleted()) || (await earlier.isFailed()))) await earlier.remove();
  await queue.add('raw', { rawMessageId }, { jobId: rawMessageId });
}

/** A raw message's intake job (its id is the raw message id) and the progress its parser reported, `{ done, total }`. */
async function intakeJobState(queue: Queue, rawMessageId: string): Promise<IntakeJobState | undefined> {
  const job = await queue.getJob(rawMessageId);
  if (!job) return undefined;
  const { done, total } = typeof job.progress === 'object' ? (job.progress as { done?: unknown; total?: unknown }) : {};
  const progress = typeof done === 'number' && typeof total === 'number' ? { progress: { done, total } } : {};
  return { state: await job.getState(), ...progress };
}

async function quarantineAfterLastAttempt(store: HubStore, job: Job | undefined, err: Error, log: Logger): Promise<void> {
  if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
  const { rawMessageId } = QUEUES.intake.payload.parse(job.data);
  log.error({ err, rawMessageId }, 'intake failed on every attempt; raw message quarantined');
  await store.raw.quarantine(rawMessageId, 'intake.failed', [{ path: '', message: err.message }], new Date().toISOString()).catch((e: unknown) => log.error({ err: e, rawMessageId }, 'could not quarantine'));
}

async function replayDelivery(store: HubStore, queues: ReadonlyMap<string, Queue>, id: string, actor: string, log: Logger): Promise<Delivery> {
  const current = await store.deliveries.get(id);
  const queue = current ? queues.get(current.target) : undefined;
  if (current && !queue) throw new HubError('delivery.target_gone', `target ${current.target} is no longer configured`, 'user');
  const delivery = await store.deliveries.markPending(id, new Date().toISOString());
  const old = await queue!.getJob(id);
  if (old) await old.remove();
  await queue!.add(delivery.event, { deliveryId: id }, { jobId: id });
  log.info({ deliveryId: id, orderId: delivery.orderId, actor }, 'delivery replayed');
  return delivery;
}

function listen(app: ReturnType<typeof createApiApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.once('error', reject);
  });
}

/** Stops accepting connections, lets requests in flight finish, then drops idle keep-alives. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** A source's per-format mapping from hub.yaml: a file drop's `mappings: { x12-850: {...} }`, a mailbox's `mappings: { email: {...} }`. */
function partnerMapping(config: HubConfig, connectorId: string, format: string): Readonly<Record<string, unknown>> | undefined {
  const connector = config.connectors.find((c) => c.id === connectorId);
  if (!connector || !('mappings' in connector)) return undefined;
  const mappings: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> = connector.mappings;
  return mappings[format];
}
