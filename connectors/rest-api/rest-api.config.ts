import { z } from 'zod';

/**
 * A named inbound JSON channel on the hub's own REST API. Clients post to
 * `POST /api/v1/orders?connector=<id>` and the body is mapped to the canonical draft by `mapping`.
 */
export const restApiConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id; clients name it in `?connector=`.' }),
  kind: z.literal('rest-api'),
  channel: z.string().default('rest').meta({ description: 'Channel recorded on the order source.' }),
  mapping: z
    .string()
    .min(1)
    .meta({
      description:
        'JSONata expression that turns the posted body into a canonical order draft; compiled at start. Wrap list paths in [ ] so a one-item list stays an array (JSONata unwraps singletons).',
      examples: ['{ "customer": { "name": buyer }, "currency": cur, "lines": [items#$i.{ "lineNo": $i + 1, "sku": code, "quantity": $string(qty), "unitPrice": $string(price) }] }'],
    }),
});

export type RestApiConfig = z.output<typeof restApiConfig>;
