import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { deliveryLimits, requestTimeoutMs } from '../shared/delivery-limits';

const bearerAuth = z.object({
  type: z.literal('bearer'),
  token: secret('Token sent as `Authorization: Bearer <token>`.'),
});

const basicAuth = z.object({
  type: z.literal('basic'),
  username: z.string().min(1).meta({ description: 'User for HTTP basic authentication.' }),
  password: secret('Password for HTTP basic authentication.'),
});

const noAuth = z.object({ type: z.literal('none') });

/**
 * Any ERP with a JSON API for creating sales orders: the body is built by a JSONata mapping from the
 * canonical order, and the ERP's order number is picked out of its answer by another expression.
 */
export const erpRestConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes and logs.' }),
  kind: z.literal('erp-rest'),
  url: z.url().meta({ description: 'Endpoint that creates a sales order.', examples: ['https://erp.example.com/api/v1/sales-orders'] }),
  method: z.enum(['POST', 'PUT']).default('POST').meta({ description: 'HTTP method of the create call.' }),
  auth: z
    .discriminatedUnion('type', [bearerAuth, basicAuth, noAuth])
    .default({ type: 'none' })
    .meta({ description: 'How the hub authenticates: `bearer` (token), `basic` (username, password) or `none`.' }),
  mapping: z
    .string()
    .min(1)
    .meta({
      description:
        'JSONata expression building the request body from `{ event, order, delivery: { id, idempotencyKey, attempt } }`; compiled at start. Put `delivery.idempotencyKey` into the ERP\'s external-reference field. Amounts stay decimal strings unless the expression converts them with $number().',
      examples: ['{ "customerCode": order.customer.id, "externalRef": delivery.idempotencyKey, "lines": [order.lines.{ "item": sku, "qty": quantity, "price": unitPrice }] }'],
    }),
  partnerRef: z
    .string()
    .min(1)
    .default('id')
    .meta({ description: "JSONata expression over the ERP's JSON answer that yields its sales order number.", examples: ['id', 'data.orderNo'] }),
  lookup: z
    .object({
      url: z
        .string()
        .min(1)
        .refine((url) => url.includes('{idempotencyKey}'), 'must contain {idempotencyKey}')
        .meta({ description: 'GET endpoint finding an order by its external reference; `{idempotencyKey}` is replaced (URL-encoded).', examples: ['https://erp.example.com/api/v1/sales-orders?externalRef={idempotencyKey}'] }),
      partnerRef: z.string().min(1).meta({ description: 'JSONata expression over the lookup answer: the order number, or nothing when no order has that reference.', examples: ['items[0].id'] }),
    })
    .optional()
    .meta({ description: 'For ERPs that ignore Idempotency-Key: before each create, look the order up by its external reference and return the one found instead of creating a second.' }),
  headers: z.record(z.string(), z.string()).default({}).meta({ description: 'Extra headers sent with every request.' }),
  timeoutMs: requestTimeoutMs,
  ...deliveryLimits,
});

export type ErpRestConfig = z.output<typeof erpRestConfig>;
