import { z } from 'zod';
import { secret } from '../../core/schema/secret';

/** A party's postal address and contact, as a carrier prints it on the label. */
export const carrierPartySchema = z.object({
  name: z.string().min(1).max(200).meta({ description: 'Company or person on the label.' }),
  contact: z.string().max(100).optional().meta({ description: 'Person to ask for.' }),
  phone: z.string().min(1).max(50).meta({ description: 'Phone number the driver calls.' }),
  street: z.string().min(1).max(500).meta({ description: 'Street and number.' }),
  city: z.string().min(1).max(200).meta({ description: 'City.' }),
  region: z.string().max(200).optional().meta({ description: 'Province or region.' }),
  postalCode: z.string().max(20).optional().meta({ description: 'Postal code.' }),
  country: z.string().regex(/^[A-Z]{2}$/).default('CN').meta({ description: 'ISO 3166 alpha-2 country code.' }),
});

export const carrierRestConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes, hook URLs and logs.' }),
  kind: z.literal('carrier-rest'),
  baseUrl: z.url().meta({ description: 'Base URL of the carrier API; shipments are POSTed to `{baseUrl}/shipments`.', examples: ['https://api.carrier.example.com/v1'] }),
  apiKey: secret('Bearer token the carrier issued to the hub.'),
  carrier: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Carrier code recorded on the order\'s shipment, e.g. `acme-freight`.' }),
  service: z.string().min(1).max(50).optional().meta({ description: 'Carrier service level, passed through (`standard`, `express`).' }),
  shipper: carrierPartySchema.meta({ description: 'Where the goods are picked up (our warehouse).' }),
  webhookSecret: secret('Secret the carrier signs tracking callbacks with, Standard Webhooks style: `whsec_` followed by base64.'),
  toleranceSeconds: z.number().int().positive().default(300).meta({ description: 'How far a callback\'s `webhook-timestamp` may be from now, in seconds, before it is refused as a replay.' }),
  timeoutMs: z.number().int().positive().default(10_000).meta({ description: 'Per-attempt timeout in ms.' }),
  concurrency: z.number().int().positive().default(4).meta({ description: 'Shipments being created at once.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Requests allowed per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional(),
});

export type CarrierRestConfig = z.output<typeof carrierRestConfig>;
