import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { shopConnectorFields } from '../shop/shop.config';

/** TOP's numeric ids (tid, num_iid, sku_id) exceed 2^53, so config holds them as digit strings. */
const topId = z.string().regex(/^\d{1,20}$/, 'digits only, as Taobao shows the id');

export const taobaoListing = z
  .object({
    numIid: topId.meta({ description: 'The item (宝贝) id, num_iid, as in the item page URL `item.htm?id=…`.' }),
    skuId: topId.optional().meta({ description: 'The SKU id within the item, for items with variants; unset, the item-level stock is set.' }),
  })
  .meta({ description: 'Where one hub SKU is sold on Taobao.' });

/**
 * Taobao / Tmall through the Taobao Open Platform (TOP) router. Orders are polled only: TOP's push
 * (TMC, 消息服务) is a long connection held by Taobao's SDKs, not an HTTP webhook (see README.md).
 */
export const taobaoConfig = z.object({
  ...shopConnectorFields,
  kind: z.literal('taobao'),
  baseUrl: z.url().default('https://eco.taobao.com/router/rest').meta({
    description: 'TOP router (HTTPS). The sandbox (沙箱) is https://gw.api.tbsandbox.com/router/rest.',
    examples: ['https://eco.taobao.com/router/rest'],
  }),
  appKey: z.string().regex(/^\d+$/, 'the AppKey is a number').meta({ description: 'AppKey of the application (应用管理 → 概览).' }),
  appSecret: secret('AppSecret of the application; signs every call.'),
  session: secret("The seller's authorisation (SessionKey / access_token) from the OAuth grant; it expires and must then be renewed (error 27)."),
  signMethod: z.enum(['md5', 'hmac', 'hmac-sha256']).default('hmac-sha256').meta({
    description: 'How calls are signed: md5 (secret + params + secret), hmac (HMAC-MD5) or hmac-sha256, keyed with the AppSecret.',
  }),
  pageSize: z.number().int().min(1).max(100).default(50).meta({
    description: 'Trades per page of taobao.trades.sold.increment.get (1–100; Taobao advises 40–50 for fewer timeouts).',
  }),
  carriers: z.record(z.string(), z.string().min(1)).default({}).meta({
    description: "Taobao logistics company code (company_code, e.g. SF, ZTO, YTO) per hub carrier name; a carrier not listed is sent as its own name.",
    examples: [{ sf: 'SF', 'zto-express': 'ZTO' }],
  }),
  listings: z.record(z.string(), taobaoListing).default({}).meta({
    description: 'Item (and SKU) per hub SKU, for stock sync out; SKUs not listed are reported as unknown to Taobao.',
    examples: [{ 'PUMP-200': { numIid: '612345678901', skuId: '4567890123456' } }],
  }),
});

export type TaobaoConfig = z.output<typeof taobaoConfig>;
export type TaobaoListing = z.output<typeof taobaoListing>;
