import { z } from 'zod';
import { currencyCode } from '../../core/order/order.schema';
import { ruleOverridesSchema } from '../../core/rules/rule-overrides';
import { deliveryLimits, requestTimeoutMs } from '../shared/delivery-limits';

/**
 * Fields every shop connector has, spread into each platform's config so hub.yaml reads the same
 * whatever the platform: identity, the currency the shop sells in, the catch-up poll's schedule and
 * window, stock sync out, and the limits of posting shipments back.
 */

export const shopPollConfig = z
  .object({
    schedule: z.string().min(9).default('*/5 * * * *').meta({
      description: 'node-cron expression (optionally with seconds) of the catch-up poll; one process of the deployment runs each firing.',
      examples: ['*/5 * * * *', '*/30 * * * * *'],
    }),
    overlapMs: z.number().int().nonnegative().default(600_000).meta({
      description: 'Each poll reads back this far before the cursor, so orders modified while the last poll ran (or stamped late by the platform) are not missed; repeats are recognised and stored once.',
    }),
    lagMs: z.number().int().nonnegative().default(0).meta({
      description: 'The poll window ends this long before now, for platforms whose search index trails their writes.',
    }),
    initialLookbackMs: z.number().int().positive().default(86_400_000).meta({
      description: 'How far back the very first poll reads, when no cursor is stored yet.',
    }),
    maxPages: z.number().int().positive().default(500).meta({
      description: 'Most pages read in one poll; the cursor then stays put and the next firing carries on.',
    }),
    maxRunMs: z.number().int().positive().default(240_000).meta({
      description: 'A poll running longer is aborted (its cursor is not advanced) and the lock released.',
    }),
    jitterMs: z.number().int().nonnegative().default(5_000).meta({
      description: 'Each firing waits a random delay up to this, so many shops on the same schedule do not call at once.',
    }),
  })
  .meta({ description: 'Catch-up poll: finds every order changed since the last poll, so orders whose webhooks were lost still arrive.' });

export const shopStockSyncConfig = z
  .object({
    intervalMs: z.number().int().positive().default(10_000).meta({
      description: 'How often available-to-promise is compared with what the platform was last told; changes found are pushed together (coalesced).',
    }),
    skus: z.array(z.string().min(1)).optional().meta({
      description: 'SKUs this shop sells; unset, every SKU in the hub inventory is pushed and those the platform does not know are reported once.',
    }),
  })
  .meta({ description: 'Stock sync out: pushes available-to-promise to the platform when it changes, so one unit is not sold on two channels.' });

export const shopConnectorFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes, webhook URLs (`/api/v1/hooks/<id>`) and logs.' }),
  currency: currencyCode.meta({
    description: 'Currency the shop sells in; an order in another currency is quarantined (shop.currency_mismatch) rather than priced wrong.',
    examples: ['CNY'],
  }),
  poll: shopPollConfig.prefault({}),
  stockSync: shopStockSyncConfig.optional(),
  rules: ruleOverridesSchema.optional(),
  timeoutMs: requestTimeoutMs,
  ...deliveryLimits,
};

export type ShopPollConfig = z.output<typeof shopPollConfig>;
export type ShopStockSyncConfig = z.output<typeof shopStockSyncConfig>;

/** What the shop machinery reads of any platform's config. */
export interface ShopConnectorConfig {
  readonly id: string;
  readonly kind: string;
  readonly currency: string;
  readonly poll: ShopPollConfig;
  readonly stockSync?: ShopStockSyncConfig | undefined;
  readonly timeoutMs: number;
}
