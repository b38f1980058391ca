import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { deliveryLimits, requestTimeoutMs } from '../shared/delivery-limits';

const passwordLogin = z.object({
  type: z.literal('password'),
  password: secret('Password of the integration user (ValidateUser).'),
});

const appSecretLogin = z.object({
  type: z.literal('appSecret'),
  appId: z.string().min(1).meta({ description: 'Third-party system login authorisation (第三方系统登录授权) app id.' }),
  appSecret: secret('App secret of that authorisation (LoginByAppSecret).'),
});

/**
 * Kingdee K/3 Cloud (金蝶云星空) sales orders (SAL_SaleOrder) through its WebAPI. Customers,
 * materials and currencies are given by their Kingdee numbers (FNumber) through the tables below.
 */
export const kingdeeConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes and logs.' }),
  kind: z.literal('erp-kingdee'),
  baseUrl: z.url().meta({ description: 'K/3 Cloud site, ending in /k3cloud/.', examples: ['https://erp.example.com/k3cloud/'] }),
  acctId: z.string().min(1).meta({ description: 'Data centre id (账套 id, acctID).' }),
  username: z.string().min(1).meta({ description: 'Integration user.' }),
  login: z
    .discriminatedUnion('type', [passwordLogin, appSecretLogin])
    .meta({ description: '`password` logs in with ValidateUser; `appSecret` with LoginByAppSecret (a 第三方系统登录授权 set up in K/3 Cloud).' }),
  lcid: z.number().int().default(2052).meta({ description: 'Language of messages: 2052 Simplified Chinese, 1033 English, 3076 Traditional Chinese.' }),
  billType: z.string().min(1).default('XSDD01_SYS').meta({ description: 'FBillTypeID number: the sales order type (标准销售订单 by default).' }),
  saleOrg: z.string().min(1).meta({ description: 'FSaleOrgId number: the selling organisation.', examples: ['100'] }),
  customers: z
    .record(z.string(), z.string().min(1))
    .meta({ description: "FCustId number per customer, keyed by the order's customer id, or by customer name for orders without one.", examples: [{ 'CUST-1': 'CUST0001' }] }),
  materials: z.record(z.string(), z.string().min(1)).default({}).meta({ description: 'FMaterialId number per SKU; SKUs not listed are sent as the material number.', examples: [{ 'PUMP-200': '1.01.001' }] }),
  units: z.record(z.string(), z.string().min(1)).default({}).meta({ description: 'FUnitID number per order unit of measure; unlisted units are left to the material’s sales unit.', examples: [{ EA: 'Pcs' }] }),
  currencies: z
    .record(z.string(), z.string().min(1))
    .default({ CNY: 'PRE001', USD: 'PRE007' })
    .meta({ description: 'FSettleCurrId number per ISO currency (K/3 Cloud presets: PRE001 人民币, PRE007 美元).' }),
  externalRefField: z
    .string()
    .regex(/^F[A-Za-z0-9_]+$/)
    .default('FBillNo')
    .meta({
      description:
        'Header field holding the delivery reference, by which a retry finds the order it already created. FBillNo (the bill number, unique in K/3 Cloud) needs a coding rule that allows manual numbers; otherwise name a text field such as a custom F_XXX_ExtRef.',
    }),
  timeoutMs: requestTimeoutMs,
  ...deliveryLimits,
});

export type KingdeeConfig = z.output<typeof kingdeeConfig>;
