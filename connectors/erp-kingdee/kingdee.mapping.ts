import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import { jsonNumber } from '../shared/json-decimals';
import type { KingdeeConfig } from './kingdee.config';

/** The WebAPI form id of the sales order (销售订单). */
export const SALE_ORDER_FORM = 'SAL_SaleOrder';

/**
 * The `data` of a Save call for one sales order: the options Kingdee's Save guide lists, and the
 * Model with header, finance sub-header (FSaleOrderFinance) and entry rows (FSaleOrderEntry).
 * Base data (organisation, customer, material, currency, unit) is given by number: `{ FNumber }`.
 * Quantities and prices go out as JSON numbers, written digit for digit from the decimal strings,
 * because the guide's Model samples type them as numbers (FQty, FPrice, FEntryTaxRate).
 * Prices are the order's net unit prices, so the finance sub-header says they exclude tax.
 * @throws PermanentPartnerError for a customer or currency the config does not translate
 */
export function buildSaveData(config: KingdeeConfig, order: CanonicalOrder, externalRef: string): Record<string, unknown> {
  return {
    NeedUpDateFields: [],
    NeedReturnFields: ['FBillNo'],
    IsDeleteEntry: 'true',
    // Kingdee checks that every base-data number exists: an unknown customer or material is a
    // validation error naming the field, not an order saved with a blank.
    IsVerifyBaseDataField: 'true',
    IsAutoSubmitAndAudit: 'false',
    Model: {
      FID: 0,
      FBillTypeID: { FNumber: config.billType },
      FDate: order.createdAt.slice(0, 10),
      FSaleOrgId: { FNumber: config.saleOrg },
      FCustId: { FNumber: customerNumber(config, order) },
      [config.externalRefField]: externalRef,
      FSaleOrderFinance: { FSettleCurrId: { FNumber: currencyNumber(config, order.currency) }, FIsIncludedTax: false },
      FSaleOrderEntry: order.lines.map((line) => {
        const unit = config.units[line.uom];
        const deliveryDate = line.requestedDate ?? order.requestedDeliveryDate;
        return {
          FMaterialId: { FNumber: config.materials[line.sku] ?? line.sku },
          ...(unit ? { FUnitID: { FNumber: unit } } : {}),
          FQty: jsonNumber(line.quantity),
          FPrice: jsonNumber(line.unitPrice),
          ...(line.taxRatePct ? { FEntryTaxRate: jsonNumber(line.taxRatePct) } : {}),
          ...(line.discountPct ? { FDiscountRate: jsonNumber(line.discountPct) } : {}),
          ...(deliveryDate ? { FDeliveryDate: deliveryDate } : {}),
        };
      }),
    },
  };
}

/** ExecuteBillQuery parameters finding the sales order that carries `externalRef`. */
export function lookupQuery(config: KingdeeConfig, externalRef: string): Record<string, unknown> {
  return {
    FormId: SALE_ORDER_FORM,
    FieldKeys: 'FBillNo',
    FilterString: `${config.externalRefField}='${externalRef.replaceAll("'", "''")}'`,
    OrderString: '',
    TopRowCount: 0,
    StartRow: 0,
    Limit: 1,
  };
}

function customerNumber(config: KingdeeConfig, order: CanonicalOrder): string {
  const key = order.customer.id ?? order.customer.name;
  const number = config.customers[key];
  if (!number) throw new PermanentPartnerError(`no Kingdee customer number for "${key}": add it to customers of ${config.id}`);
  return number;
}

function currencyNumber(config: KingdeeConfig, currency: string): string {
  const number = config.currencies[currency];
  if (!number) throw new PermanentPartnerError(`no Kingdee currency number for ${currency}: add it to currencies of ${config.id}`);
  return number;
}
