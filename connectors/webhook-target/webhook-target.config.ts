import { z } from 'zod';
import { secret } from '../../core/schema/secret';

export const webhookTargetConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes and logs.' }),
  kind: z.literal('webhook-target'),
  url: z.url().meta({ description: 'Endpoint that receives order events as JSON POSTs.', examples: ['https://erp.example.com/hooks/orders'] }),
  secret: secret('Signing secret, Standard Webhooks style: `whsec_` followed by base64.'),
  timeoutMs: z.number().int().positive().default(10_000).meta({ description: 'Per-attempt timeout in ms.' }),
  headers: z.record(z.string(), z.string()).default({}).meta({ description: 'Extra headers sent with every request.' }),
  concurrency: z.number().int().positive().default(4).meta({ description: 'Deliveries in flight at once to this target.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Requests allowed per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional(),
});

export type WebhookTargetConfig = z.output<typeof webhookTargetConfig>;
