import { PermanentPartnerError } from '../../core/errors/partner.error';
import { dec, toMoney } from '../../core/order/money';
import type { CanonicalOrder, OrderLine } from '../../core/order/order.types';
import { lineNet } from '../../core/order/totals';
import { jsonNumber } from '../shared/json-decimals';
import type { U8Config } from './u8.config';

/**
 * The body of `POST /api/saleorder/add`: `{ saleorder: { code, date, businesstype, typecode,
 * custcode, deptcode, …, entry: [{ rowno, inventorycode, quantity, unitprice, taxrate, discount, bgift }] } }`.
 * `code` (订单号) is the delivery reference: U8 keeps order numbers unique, and a retry finds the
 * order by it. Quantities and amounts go out as JSON numbers, digit for digit, as the OpenAPI
 * documents them (数量, 单价 and 税率 are numeric fields). `unitprice` is the net unit price; a line
 * discount travels as its amount (折扣额), rounded to the currency like the hub's own totals.
 * @throws PermanentPartnerError for a customer the config does not translate
 */
export function buildSaleOrder(config: U8Config, order: CanonicalOrder, code: string): Record<string, unknown> {
  return {
    saleorder: {
      code,
      date: order.createdAt.slice(0, 10),
      businesstype: config.businessType,
      typecode: config.saleType,
      custcode: customerCode(config, order),
      deptcode: config.department,
      ...(config.person ? { personcode: config.person } : {}),
      ...(order.requestedDeliveryDate ? { dpredatebt: order.requestedDeliveryDate } : {}),
      ...(order.poNumber ? { memo: `PO ${order.poNumber}` } : {}),
      entry: order.lines.map((line) => ({
        rowno: line.lineNo,
        inventorycode: config.materials[line.sku] ?? line.sku,
        quantity: jsonNumber(line.quantity),
        unitprice: jsonNumber(line.unitPrice),
        ...(line.taxRatePct ? { taxrate: jsonNumber(line.taxRatePct) } : {}),
        ...(line.discountPct ? { discount: jsonNumber(discountAmount(line, order.currency)) } : {}),
        bgift: 0,
      })),
    },
  };
}

function discountAmount(line: OrderLine, currency: string): string {
  return toMoney(dec(line.quantity).times(dec(line.unitPrice)).minus(lineNet(line)), currency);
}

function customerCode(config: U8Config, order: CanonicalOrder): string {
  const key = order.customer.id ?? order.customer.name;
  const code = config.customers[key];
  if (!code) throw new PermanentPartnerError(`no U8 customer code for "${key}": add it to customers of ${config.id}`);
  return code;
}
