import { z } from 'zod';
import { secret } from '../../core/schema/secret';

export const carrierKuaidi100Config = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes, hook URLs and logs.' }),
  kind: z.literal('carrier-kuaidi100'),
  baseUrl: z.url().default('https://api.kuaidi100.com').meta({ description: 'kuaidi100 API host; waybills are ordered at `{baseUrl}/label/order`.' }),
  key: secret('Authorisation key (授权码 key) of the kuaidi100 enterprise account.'),
  secret: secret('Account secret; requests are signed MD5(param + t + key + secret).'),
  kuaidicom: z.string().regex(/^[a-z0-9]+$/).meta({ description: 'Carrier code (快递公司编码), lower case; also recorded on the order\'s shipment.', examples: ['shunfeng', 'zhongtong', 'jd'] }),
  partnerId: z.string().min(1).max(100).meta({ description: 'E-waybill customer account or monthly account (电子面单客户账户/月结账号) the carrier branch issued.' }),
  partnerKey: secret('E-waybill password (电子面单密码), where the carrier requires one.').optional(),
  net: z.string().max(100).optional().meta({ description: 'Receiving branch (网点) name, where the carrier requires one.' }),
  expType: z.string().max(50).optional().meta({ description: 'Service type (快递类型), e.g. `标准快递`; absent, the carrier default.' }),
  payType: z.enum(['SHIPPER', 'CONSIGNEE', 'MONTHLY', 'THIRDPARTY']).default('MONTHLY').meta({ description: 'Who pays the freight.' }),
  cargo: z.string().min(1).max(100).default('货物').meta({ description: 'Goods description on the waybill (物品名称).' }),
  sender: z
    .object({
      name: z.string().min(1).max(100).meta({ description: 'Sender name on the waybill.' }),
      mobile: z.string().min(1).max(50).meta({ description: 'Sender mobile the courier calls.' }),
      printAddr: z.string().min(1).max(500).meta({ description: 'Full address as printed, province to street.' }),
      company: z.string().max(200).optional().meta({ description: 'Sender company.' }),
    })
    .meta({ description: 'Sender (寄件人): our warehouse.' }),
  callbackUrl: z.url().meta({
    description: 'The hub\'s hook URL for this connector, given to kuaidi100 as pollCallBackUrl with `?orderId=` appended.',
    examples: ['https://hub.example.com/api/v1/hooks/kuaidi100'],
  }),
  saltSecret: secret('Key the per-order push salt is derived from (salt = HMAC-SHA256(saltSecret, orderId)), so a push signed for one order never verifies for another.'),
  timeoutMs: z.number().int().positive().default(10_000).meta({ description: 'Per-attempt timeout in ms.' }),
  concurrency: z.number().int().positive().default(4).meta({ description: 'Waybills being ordered at once.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Requests allowed per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional(),
});

export type CarrierKuaidi100Config = z.output<typeof carrierKuaidi100Config>;
