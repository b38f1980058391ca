import { z } from 'zod';
import { orderStatus } from '../core/order/order.schema';
import { ruleSettingsSchema } from '../core/rules/rule-settings.schema';
import { checkRuleOverrides } from '../core/rules/rule-overrides';
import { secret } from '../core/schema/secret';
import { connectorConfigSchema, ocrConfig, TARGET_KINDS } from '../connectors/registry';

/** Roles an API key can carry. Review roles (sales, finance, production) sign approvals as themselves. */
export const apiRole = z.enum(['admin', 'operator', 'intake', 'viewer', 'sales', 'finance', 'production']);
export type ApiRole = z.output<typeof apiRole>;

/** Every event the lifecycle emits (core/lifecycle/order-events.ts): a route on any other name would never fire. */
const orderEventName = z.enum(['order.created', 'order.changed', ...orderStatus.options.map((status) => `order.${status}` as const)]);

const storeConfig = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sqlite').meta({ description: 'Embedded SQLite file: the default, for one machine.' }),
    path: z.string().default('./data/hub.db').meta({ description: 'Database file; its folder is created when missing.' }),
  }),
  z.object({
    kind: z.literal('mongo').meta({ description: 'MongoDB replica set, for several hub processes.' }),
    url: secret('MongoDB connection string (a replica set: the hub writes order + outbox in one transaction).'),
  }),
]);

const redisConfig = z.object({
  url: z
    .string()
    .optional()
    .meta({ description: 'redis:// URL of a Redis the hub uses; unset or "managed" makes the hub run its own redis-server.' }),
  managed: z
    .object({
      port: z.number().int().min(1).max(65535).default(6390).meta({ description: 'Loopback port of the managed redis-server.' }),
      dir: z.string().default('./data/redis').meta({ description: 'Data folder (AOF files) of the managed redis-server.' }),
      binary: z.string().default('redis-server').meta({ description: 'Path or name of the redis-server executable.' }),
    })
    .prefault({}),
});

const apiKeyConfig = z.object({
  name: z.string().min(1).meta({ description: 'Who holds the key; recorded as the actor of what the key does.' }),
  role: apiRole.meta({ description: 'What the key may do; sales, finance and production also sign their review step.' }),
  hash: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>; make one with `order-hub hash-key <key>`')
    .meta({ description: 'SHA-256 of the key. The key itself is never in config.' }),
});

const routeConfig = z.object({
  on: orderEventName.meta({ description: 'Event that triggers the route.', examples: ['order.confirmed'] }),
  to: z.array(z.string()).min(1).meta({ description: 'Ids of target connectors that receive the event.' }),
});

const referenceDataConfig = z
  .object({
    inventory: z.string().optional().meta({ description: 'CSV or YAML of stock levels (sku, location, onHand), loaded at start.' }),
    prices: z.string().optional().meta({ description: "CSV or YAML price list (sku, currency, unitPrice[, customerId or customerName for a customer's own price])." }),
    capacity: z.string().optional().meta({ description: 'CSV or YAML of daily capacity (date, units).' }),
    calendar: z.string().optional().meta({ description: 'CSV or YAML of calendar exceptions (date, working as true/false, yes/no or 1/0[, note]).' }),
  })
  .prefault({});

const pipelineConfig = z
  .object({
    intakeConcurrency: z.number().int().positive().default(8).meta({ description: 'Raw messages processed at once per worker process.' }),
    deliveryAttempts: z.number().int().positive().default(8).meta({ description: 'Attempts per delivery before it is dead-lettered.' }),
    backoffMs: z.number().int().positive().default(1_000).meta({ description: 'First retry delay in ms; doubles each attempt, with jitter.' }),
    maxBackoffMs: z.number().int().positive().default(300_000).meta({ description: 'Cap of the retry delay in ms.' }),
    outboxPollMs: z.number().int().positive().default(200).meta({ description: 'How often the outbox relay looks for unpublished events, in ms.' }),
    sweepAfterMs: z.number().int().positive().default(30_000).meta({ description: 'A raw message still unprocessed this long after arrival is queued again, in ms.' }),
  })
  .prefault({});

export const hubConfigSchema = z
  .object({
    store: storeConfig.prefault({ kind: 'sqlite' }),
    redis: redisConfig.prefault({}),
    http: z
      .object({
        host: z.string().default('127.0.0.1').meta({ description: 'Address the REST API listens on.' }),
        port: z.number().int().min(0).max(65535).default(8080).meta({ description: 'TCP port of the REST API; 0 picks a free one.' }),
        bodyLimitBytes: z.number().int().positive().default(1_048_576).meta({ description: 'Largest accepted request body, in bytes.' }),
      })
      .prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').meta({ description: 'Lowest pino level written.' }) })
      .prefault({}),
    auth: z
      .object({ apiKeys: z.array(apiKeyConfig).default([]).meta({ description: 'Keys accepted by the REST API, sent as `Authorization: Bearer <key>` or `X-API-Key`.' }) })
      .prefault({}),
    connectors: z.array(connectorConfigSchema).default([]).meta({ description: 'Outside systems the hub talks to.' }),
    routes: z.array(routeConfig).default([]).meta({ description: 'Which target connectors receive which order events.' }),
    rules: ruleSettingsSchema.prefault({}),
    referenceData: referenceDataConfig,
    pipeline: pipelineConfig,
    ocr: ocrConfig.prefault({}),
  })
  .superRefine((config, ctx) => {
    const ids = new Map<string, (typeof config.connectors)[number]>();
    config.connectors.forEach((c, i) => {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['connectors', i, 'id'], message: `duplicate connector id "${c.id}"` });
      ids.set(c.id, c);
      if ('rules' in c && c.rules) {
        for (const problem of checkRuleOverrides(config.rules, c.rules)) ctx.addIssue({ code: 'custom', path: ['connectors', i, 'rules', ...problem.path], message: problem.message });
      }
    });
    config.routes.forEach((route, i) => {
      route.to.forEach((target, j) => {
        const connector = ids.get(target);
        if (!connector) ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `no connector with id "${target}"` });
        else if (!TARGET_KINDS.has(connector.kind)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `connector "${target}" (${connector.kind}) cannot receive deliveries` });
        else if ((connector.kind === 'folder' || connector.kind === 'sftp') && !connector.documents?.on[route.on]) {
          ctx.addIssue({ code: 'custom', path: ['routes', i, 'to', j], message: `connector "${target}" (${connector.kind}) writes no document on ${route.on}: add it to its documents.on` });
        }
      });
    });
  });

export type HubConfig = z.output<typeof hubConfigSchema>;
export type HubConfigInput = z.input<typeof hubConfigSchema>;
