import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { deliveryLimits, requestTimeoutMs } from '../shared/delivery-limits';

/**
 * SAP S/4HANA sales orders through the OData V2 service API_SALES_ORDER_SRV. Field lengths are the
 * service's (A_SalesOrder, A_SalesOrderItem); our customers and SKUs are translated to SAP's
 * SoldToParty and Material numbers through the tables below.
 */
export const sapConfig = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in routes and logs.' }),
  kind: z.literal('erp-sap'),
  serviceUrl: z
    .url()
    .meta({ description: 'Root of the API_SALES_ORDER_SRV service, without a trailing slash.', examples: ['https://s4.example.com/sap/opu/odata/sap/API_SALES_ORDER_SRV'] }),
  sapClient: z.string().regex(/^\d{3}$/).optional().meta({ description: 'SAP client (`sap-client` query parameter); unset, the system default client is used.', examples: ['100'] }),
  username: z.string().min(1).meta({ description: 'Communication user (basic authentication).' }),
  password: secret('Password of the communication user.'),
  salesOrderType: z.string().min(1).max(4).default('OR').meta({ description: 'SalesOrderType of created orders.' }),
  salesOrganization: z.string().min(1).max(4).meta({ description: 'SalesOrganization.', examples: ['1710'] }),
  distributionChannel: z.string().min(1).max(2).meta({ description: 'DistributionChannel.', examples: ['10'] }),
  organizationDivision: z.string().min(1).max(2).meta({ description: 'OrganizationDivision.', examples: ['00'] }),
  customers: z
    .record(z.string(), z.string().min(1).max(10))
    .meta({ description: "SoldToParty per customer, keyed by the order's customer id, or by customer name for orders without one.", examples: [{ 'CUST-1': '0010100001' }] }),
  materials: z.record(z.string(), z.string().min(1).max(40)).default({}).meta({ description: 'SAP Material per SKU.', examples: [{ 'PUMP-200': 'TG11' }] }),
  unmappedSkus: z
    .enum(['refuse', 'as-is'])
    .default('refuse')
    .meta({ description: '`refuse` dead-letters an order with a SKU missing from `materials`; `as-is` sends the SKU as the Material number.' }),
  units: z.record(z.string(), z.string().min(1).max(3)).default({}).meta({ description: 'RequestedQuantityUnit per order unit of measure; units not listed are sent as they are.', examples: [{ PCS: 'EA' }] }),
  priceConditionType: z
    .string()
    .min(1)
    .max(4)
    .optional()
    .meta({ description: "When set, each item carries the order's unit price as a pricing element of this condition type; unset, SAP prices the order from its own condition records.", examples: ['PPR0'] }),
  referenceTextId: z
    .string()
    .min(1)
    .max(4)
    .default('0001')
    .meta({ description: 'LongTextID of the header text that carries the delivery key, by which a retried delivery finds the order it already created.' }),
  textLanguage: z.string().length(2).default('EN').meta({ description: 'Language of that header text.' }),
  timeoutMs: requestTimeoutMs,
  ...deliveryLimits,
});

export type SapConfig = z.output<typeof sapConfig>;
