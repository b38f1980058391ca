import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { shopConnectorFields } from '../shop/shop.config';

/**
 * A Shopify store through the REST Admin API (https://shopify.dev/docs/api/admin-rest): orders in
 * by webhook and catch-up poll, fulfillments with tracking back, stock levels out. Shopify calls
 * REST "legacy" since 2024-10 in favour of GraphQL; existing custom apps are still served (README).
 */
export const shopifyConfig = z
  .object({
    ...shopConnectorFields,
    kind: z.literal('shopify'),
    shopUrl: z.url().meta({
      description: 'The store\'s admin address, `https://<shop>.myshopify.com`, without a trailing slash; API calls go to `{shopUrl}/admin/api/{apiVersion}/…`.',
      examples: ['https://acme-pumps.myshopify.com'],
    }),
    apiVersion: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$/, 'a Shopify API version such as 2026-10')
      .default('2026-10')
      .meta({ description: 'REST Admin API version (quarterly, supported for 12 months); pin one the app was tested with.', examples: ['2026-10'] }),
    clientId: z.string().min(1).optional().meta({
      description: 'Client ID of a Dev Dashboard app installed on this store: the hub then asks Shopify for access tokens itself (client credentials grant, each valid 24 h). Give this or `accessToken`.',
    }),
    accessToken: secret('Admin API access token (`shpat_…`) of a custom app created in the store admin before 2026 (such tokens do not expire); sent as X-Shopify-Access-Token. Give this or `clientId`.').optional(),
    clientSecret: secret('The app\'s client secret; Shopify signs every webhook with it (X-Shopify-Hmac-Sha256), and with `clientId` it obtains access tokens.'),
    locationId: z
      .string()
      .regex(/^\d+$/, 'the numeric id of a Shopify location')
      .optional()
      .meta({ description: 'Location whose `available` stock the hub sets (Settings → Locations, the number in the URL); required with `stockSync`.', examples: ['65432198765'] }),
    notifyCustomer: z.boolean().default(false).meta({ description: 'Whether Shopify e-mails the buyer the shipping confirmation when the hub posts a fulfillment.' }),
    carrierNames: z
      .record(z.string(), z.string().min(1))
      .default({})
      .meta({
        description: 'Hub carrier code → the tracking company name Shopify knows (case matters), so Shopify links the tracking number; a carrier not listed is sent as is.',
        examples: [{ shunfeng: 'SF Express', 'carrier-rest': 'DHL Express' }],
      }),
  })
  .superRefine((config, ctx) => {
    if (Boolean(config.clientId) === Boolean(config.accessToken)) {
      ctx.addIssue({ code: 'custom', path: ['accessToken'], message: 'give either accessToken (an admin-created custom app) or clientId (a Dev Dashboard app), not both or neither' });
    }
    if (config.stockSync && !config.locationId) {
      ctx.addIssue({ code: 'custom', path: ['locationId'], message: 'stockSync needs the locationId whose stock the hub sets' });
    }
  });

export type ShopifyConfig = z.output<typeof shopifyConfig>;
