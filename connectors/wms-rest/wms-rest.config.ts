import { z } from 'zod';
import { secret } from '../../core/schema/secret';

export const wmsRestConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes, schedules and logs.' }),
  kind: z.literal('wms-rest'),
  baseUrl: z.url().meta({
    description: 'Base URL of the WMS API: outbound deliveries are POSTed to `{baseUrl}/outbound-deliveries`, stock is read from `{baseUrl}/stock`.',
    examples: ['https://wms.example.com/api/v1'],
  }),
  apiKey: secret('Bearer token the WMS issued to the hub.'),
  warehouse: z.string().min(1).max(50).optional().meta({
    description: 'Warehouse code sent with every outbound delivery and used as the stock filter; absent, the WMS decides.',
    examples: ['SH-QP-01'],
  }),
  stockPageSize: z.number().int().min(1).max(1000).default(200).meta({ description: 'Stock rows asked for per page.' }),
  maxStockPages: z.number().int().positive().default(1000).meta({
    description: 'Most stock pages read in one sync; a WMS that hands out cursors forever is stopped here rather than looped on.',
  }),
  stockSyncIntervalMs: z.number().int().positive().optional().meta({
    description: "How often the scheduler reads the WMS's stock into the hub's inventory, in ms; unset, stock is never synced from this WMS.",
    examples: [900_000],
  }),
  timeoutMs: z.number().int().positive().default(10_000).meta({ description: 'Per-request timeout in ms (each stock page is one request).' }),
  concurrency: z.number().int().positive().default(4).meta({ description: 'Deliveries in flight at once to this WMS.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Requests allowed per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional(),
});

export type WmsRestConfig = z.output<typeof wmsRestConfig>;
