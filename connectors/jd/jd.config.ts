import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { shopConnectorFields } from '../shop/shop.config';

const jdId = z.string().regex(/^\d{1,20}$/, 'digits only, as JD shows the id');

/**
 * JD (京东) POP shop through the JD Open Service (JOS, 宙斯) router. Orders are polled only; JOS's
 * order messages (JMQ) are not an HTTP webhook (see README.md).
 */
export const jdConfig = z.object({
  ...shopConnectorFields,
  kind: z.literal('jd'),
  baseUrl: z.url().default('https://api.jd.com/routerjson').meta({
    description: 'JOS router (the `routerjson` endpoint, JSON answers).',
    examples: ['https://api.jd.com/routerjson'],
  }),
  appKey: z.string().min(1).meta({ description: 'App Key of the application (京东宙斯 → 应用管理).' }),
  appSecret: secret('App Secret of the application; signs every call.'),
  accessToken: secret("The shop's access_token from the OAuth grant; it expires and must then be renewed (error 19)."),
  pageSize: z.number().int().min(1).max(100).default(50).meta({ description: 'Orders per page of jingdong.pop.order.search (at most 100).' }),
  carriers: z.record(z.string(), jdId).default({}).meta({
    description: "JD logistics company id (logiCoprId, numeric: see 京麦 → 配送 → 承运商) per hub carrier name; JD takes ids only, so a carrier not listed cannot be posted back.",
    examples: [{ sf: '467', 'zto-express': '1499' }],
  }),
  skus: z.record(z.string(), jdId).default({}).meta({
    description: "JD skuId per hub SKU: used for stock sync out, and to name a line whose item has no merchant SKU code (outerSkuId). SKUs not listed are reported as unknown to JD.",
    examples: [{ 'PUMP-200': '100012345678' }],
  }),
});

export type JdConfig = z.output<typeof jdConfig>;
