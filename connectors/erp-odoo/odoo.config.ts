import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { deliveryLimits, requestTimeoutMs } from '../shared/delivery-limits';

/**
 * Odoo sales orders through the external JSON-RPC API (`/jsonrpc`, services `common` and `object`).
 * Customers are found among res.partner by reference or name, products among product.product by
 * internal reference (default_code) = SKU.
 */
export const odooConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes and logs.' }),
  kind: z.literal('erp-odoo'),
  url: z.url().meta({ description: 'Odoo server, without a trailing slash.', examples: ['https://mycompany.odoo.com'] }),
  db: z.string().min(1).meta({ description: 'Database name (on Odoo Online, the instance name).' }),
  login: z.string().min(1).meta({ description: 'Login of the integration user.' }),
  password: secret('API key (preferred) or password of that user.'),
  customerMatch: z
    .enum(['ref-then-name', 'ref', 'name'])
    .default('ref-then-name')
    .meta({ description: "How the order's customer is found among res.partner: by `ref` = customer id, by exact `name`, or by ref first and name when the order has no id or none matches." }),
  timeoutMs: requestTimeoutMs,
  ...deliveryLimits,
});

export type OdooConfig = z.output<typeof odooConfig>;
