import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import { compactRef } from '../shared/external-ref';
import type { SapConfig } from './sap.config';

/** PurchaseOrderByCustomer is CHAR 35 in A_SalesOrder. */
const PO_MAX_LENGTH = 35;
/** MaterialByCustomer is CHAR 35 in A_SalesOrderItem. */
const CUSTOMER_MATERIAL_MAX_LENGTH = 35;

/** The header text holding the delivery key: how a retry recognises the order a lost reply created. */
export function referenceText(idempotencyKey: string): string {
  return `order-hub ${idempotencyKey}`;
}

/** @throws PermanentPartnerError when the customer is not in `customers` */
export function soldToParty(config: SapConfig, order: CanonicalOrder): string {
  const key = order.customer.id ?? order.customer.name;
  const party = config.customers[key];
  if (!party) throw new PermanentPartnerError(`no SoldToParty for customer "${key}": add it to customers of ${config.id}`);
  return party;
}

/**
 * Our PO, or for an order without one the compact delivery reference, so that the lookup by
 * (SoldToParty, PurchaseOrderByCustomer) always has something to filter on.
 * @throws PermanentPartnerError when the PO is longer than SAP's field
 */
export function purchaseOrderByCustomer(order: CanonicalOrder, idempotencyKey: string): string {
  const po = order.poNumber ?? compactRef(idempotencyKey);
  if (po.length > PO_MAX_LENGTH) throw new PermanentPartnerError(`PO "${po}" is longer than SAP's PurchaseOrderByCustomer (${PO_MAX_LENGTH} characters)`);
  return po;
}

/**
 * The A_SalesOrder deep-insert body: header, items (to_Item) and the reference text (to_Text).
 * Quantities and prices are Edm.Decimal, which OData V2 JSON writes as strings: the decimal strings
 * of the canonical order go out unchanged.
 * @throws PermanentPartnerError for a customer or SKU the config does not translate
 */
export function buildSalesOrder(config: SapConfig, order: CanonicalOrder, idempotencyKey: string): Record<string, unknown> {
  return {
    SalesOrderType: config.salesOrderType,
    SalesOrganization: config.salesOrganization,
    DistributionChannel: config.distributionChannel,
    OrganizationDivision: config.organizationDivision,
    SoldToParty: soldToParty(config, order),
    PurchaseOrderByCustomer: purchaseOrderByCustomer(order, idempotencyKey),
    TransactionCurrency: order.currency,
    ...(order.requestedDeliveryDate ? { RequestedDeliveryDate: odataDate(order.requestedDeliveryDate) } : {}),
    to_Item: {
      results: order.lines.map((line) => ({
        SalesOrderItem: String(line.lineNo * 10),
        Material: material(config, line.sku),
        ...(line.customerSku && line.customerSku.length <= CUSTOMER_MATERIAL_MAX_LENGTH ? { MaterialByCustomer: line.customerSku } : {}),
        RequestedQuantity: line.quantity,
        RequestedQuantityUnit: config.units[line.uom] ?? line.uom,
        ...(config.priceConditionType
          ? { to_PricingElement: { results: [{ ConditionType: config.priceConditionType, ConditionRateValue: line.unitPrice, ConditionCurrency: order.currency }] } }
          : {}),
      })),
    },
    to_Text: { results: [{ Language: config.textLanguage, LongTextID: config.referenceTextId, LongText: referenceText(idempotencyKey) }] },
  };
}

function material(config: SapConfig, sku: string): string {
  const mapped = config.materials[sku];
  if (mapped) return mapped;
  if (config.unmappedSkus === 'as-is' && sku.length <= 40) return sku;
  throw new PermanentPartnerError(`no SAP Material for SKU "${sku}": add it to materials of ${config.id}`);
}

/** Edm.DateTime in OData V2 JSON: `/Date(<ms since epoch, UTC midnight>)/`. */
function odataDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return `/Date(${Date.UTC(year, month - 1, day)})/`;
}

/** A string literal inside an OData $filter: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
