import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { deliveryLimits, requestTimeoutMs } from '../shared/delivery-limits';

/**
 * Yonyou U8 (用友U8) sales orders through the U8 OpenAPI (开放平台): the platform relays calls to the
 * company's U8 server through its data-source client. Customers and inventory are given by their
 * U8 codes through the tables below.
 */
export const u8Config = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes and logs.' }),
  kind: z.literal('erp-u8'),
  baseUrl: z.url().default('https://api.yonyouup.com').meta({ description: 'OpenAPI gateway, without a trailing slash.' }),
  fromAccount: z.string().min(1).meta({ description: 'from_account: the calling (developer) account.' }),
  toAccount: z.string().min(1).meta({ description: 'to_account: the enterprise account whose U8 receives the orders.' }),
  appKey: z.string().min(1).meta({ description: 'app_key of the application.' }),
  appSecret: secret('app_secret of the application.'),
  dsSequence: z.number().int().positive().optional().meta({ description: 'ds_sequence: which of the enterprise’s data sources (U8 accounts) to write to; unset, the first.' }),
  businessType: z.string().min(1).default('普通销售').meta({ description: 'businesstype (业务类型) of created orders.' }),
  saleType: z.string().min(1).meta({ description: 'typecode: the sales type code (销售类型编码).', examples: ['01'] }),
  department: z.string().min(1).meta({ description: 'deptcode: the selling department code (部门编码).', examples: ['05'] }),
  person: z.string().min(1).optional().meta({ description: 'personcode: the salesperson code (人员编码).' }),
  customers: z
    .record(z.string(), z.string().min(1))
    .meta({ description: "U8 customer code (custcode) per customer, keyed by the order's customer id, or by customer name for orders without one.", examples: [{ 'CUST-1': '00000017' }] }),
  materials: z.record(z.string(), z.string().min(1)).default({}).meta({ description: 'U8 inventory code (inventorycode) per SKU; SKUs not listed are sent as the inventory code.' }),
  tokenErrcodes: z
    .array(z.string())
    .default([])
    .meta({
      description:
        'errcode values by which the OpenAPI reports an invalid or expired token, from the 返回码 page of your platform version: such an answer renews the token and retries. Tokens are also renewed before their expiresIn runs out, and on HTTP 401.',
    }),
  timeoutMs: requestTimeoutMs,
  ...deliveryLimits,
});

export type U8Config = z.output<typeof u8Config>;
