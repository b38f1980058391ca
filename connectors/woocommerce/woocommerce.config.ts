import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { shopConnectorFields } from '../shop/shop.config';

/** Hosts where plain HTTP is tolerated: a store on the same machine (development, the test sandboxes). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A WooCommerce store through its REST API v3 (https://woocommerce.github.io/woocommerce-rest-api-docs/):
 * orders in by webhook and catch-up poll, status and tracking note back, stock quantities out.
 */
export const wooCommerceConfig = z
  .object({
    ...shopConnectorFields,
    kind: z.literal('woocommerce'),
    storeUrl: z.url().meta({
      description: 'The WordPress site address, without a trailing slash; the API is `{storeUrl}/wp-json/wc/v3`. HTTPS: WooCommerce takes keys by HTTP Basic auth only over HTTPS.',
      examples: ['https://shop.example.com'],
    }),
    consumerKey: secret('REST API consumer key (`ck_…`), WooCommerce → Settings → Advanced → REST API, with Read/Write permission.'),
    consumerSecret: secret('REST API consumer secret (`cs_…`) of that key.'),
    webhookSecret: secret('The Secret entered on each of the store\'s webhooks; WooCommerce signs every delivery with it (X-WC-Webhook-Signature).'),
    keysInQuery: z.boolean().default(false).meta({
      description: 'Send the keys as `consumer_key`/`consumer_secret` query parameters instead of HTTP Basic auth, for servers that drop the Authorization header (WooCommerce documents both). The keys then appear in the server\'s access log.',
    }),
    shippedStatus: z.string().regex(/^[a-z0-9-]+$/).default('completed').meta({
      description: 'Order status set when the hub reports the order shipped (a custom status slug such as `shipped` if the store has one).',
    }),
  })
  .superRefine((config, ctx) => {
    const url = new URL(config.storeUrl);
    if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
      ctx.addIssue({ code: 'custom', path: ['storeUrl'], message: 'must be https: WooCommerce accepts API keys by Basic auth only over HTTPS' });
    }
  });

export type WooCommerceConfig = z.output<typeof wooCommerceConfig>;
