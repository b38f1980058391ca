import { z } from 'zod';
import { secret } from '../../core/schema/secret';

export const esignTsignConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes, hook URLs and logs.' }),
  kind: z.literal('esign-tsign'),
  baseUrl: z.url().default('https://openapi.esign.cn').meta({
    description: 'e签宝 open API host: `https://openapi.esign.cn` in production, `https://smlopenapi.esign.cn` for the sandbox.',
    examples: ['https://smlopenapi.esign.cn'],
  }),
  appId: z.string().min(1).max(64).meta({ description: 'App id (X-Tsign-Open-App-Id) of the e签宝 application.' }),
  appSecret: secret('App secret; signs every request and every callback (HMAC-SHA256).'),
  docTemplateId: z.string().min(1).max(64).meta({ description: 'Id of the acceptance-form (验收单) document template prepared in e签宝, filled per order.' }),
  acceptanceComponentKey: z.string().min(1).max(64).default('acceptanceText').meta({
    description: 'Key of the template\'s multi-line text component that receives the acceptance text (order, PO, lines, total).',
  }),
  callbackUrl: z.url().meta({
    description: 'The hub\'s hook URL for this connector, sent as the flow\'s notifyUrl with `?orderId=` appended (e签宝 signs the query too).',
    examples: ['https://hub.example.com/api/v1/hooks/esign'],
  }),
  toleranceSeconds: z.number().int().positive().default(300).meta({ description: 'How far a callback\'s X-Tsign-Open-TIMESTAMP may be from now, in seconds, before it is refused as a replay.' }),
  timeoutMs: z.number().int().positive().default(15_000).meta({ description: 'Per-request timeout in ms (one delivery makes two requests).' }),
  concurrency: z.number().int().positive().default(2).meta({ description: 'Signing flows being created at once.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Deliveries allowed per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional(),
});

export type EsignTsignConfig = z.output<typeof esignTsignConfig>;
