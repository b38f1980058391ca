import { z } from 'zod';
import { secret } from '../../core/schema/secret';

export const esignFadadaConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes, hook URLs and logs.' }),
  kind: z.literal('esign-fadada'),
  baseUrl: z.url().default('https://api.fadada.com/api/v5').meta({
    description: '法大大 FASC API base: `https://api.fadada.com/api/v5` in production, `https://uat-api.fadada.com/api/v5` for testing.',
    examples: ['https://uat-api.fadada.com/api/v5'],
  }),
  appId: z.string().min(1).max(64).meta({ description: 'App id (X-FASC-App-Id) of the 法大大 integration app.' }),
  appSecret: secret('App secret; signs every request and every callback.'),
  openCorpId: z.string().min(1).max(64).meta({ description: 'openCorpId of our company, the initiator of every signing task.' }),
  signTemplateId: z.string().min(1).max(64).meta({ description: 'Id of the acceptance-form (验收单) signing template prepared in 法大大.' }),
  initiatorActorId: z.string().min(1).max(30).default('发起方').meta({ description: 'Template role our company plays; it fills the acceptance text.' }),
  signerActorId: z.string().min(1).max(30).default('验收方').meta({ description: 'Template role the customer plays; it signs.' }),
  acceptanceField: z
    .object({
      docId: z.string().min(1).meta({ description: 'fieldDocId of the template document holding the field.' }),
      fieldId: z.string().min(1).meta({ description: 'fieldId of the multi-line text field that receives the acceptance text.' }),
    })
    .meta({ description: 'Template field pre-filled with the acceptance text (order, PO, lines, total).' }),
  callbackUrl: z.url().optional().meta({
    description: 'Per-task callback URL (the hub\'s hook URL for this connector); absent, events go to the address subscribed in the 法大大 app settings.',
    examples: ['https://hub.example.com/api/v1/hooks/fadada'],
  }),
  toleranceSeconds: z.number().int().positive().default(300).meta({ description: 'How far a callback\'s X-FASC-Timestamp may be from now, in seconds, before it is refused as a replay.' }),
  timeoutMs: z.number().int().positive().default(15_000).meta({ description: 'Per-request timeout in ms.' }),
  concurrency: z.number().int().positive().default(2).meta({ description: 'Signing tasks being created at once.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Deliveries allowed per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional(),
});

export type EsignFadadaConfig = z.output<typeof esignFadadaConfig>;
