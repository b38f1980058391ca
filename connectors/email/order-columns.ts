import type { ColumnRef } from '../spreadsheet/spreadsheet.mapping';
import { columnIndex } from '../spreadsheet/sheet-table';
import type { EmailTemplate, TemplateColumn } from './email.mapping';

/**
 * Which column of a table (in the mail body or an attached sheet) holds what. Customers write
 * their own headers; these are the ones seen in Chinese and English order mails. A template's
 * `columns` name the rest, and win over these.
 */

/** Line numbers are the order's own (1, 2 …), so a 序号/No. column is not read. */
export type OrderColumn = TemplateColumn;

/** Headers as compared: NFKC, lower case, a bracketed unit dropped ("单价(元)"), spaces and punctuation gone. */
const HEADERS: Readonly<Record<OrderColumn, readonly string[]>> = {
  sku: ['sku', '型号', '规格型号', '产品型号', '物料编码', '物料号', '物料代码', '料号', '货号', '产品编码', '商品编码', '编码', '型號', '規格型號', '物料編碼', '料號', '貨號', 'itemcode', 'itemno', 'partno', 'partnumber', 'part', 'model', 'modelno', 'productcode', 'material', 'materialno', 'articleno', 'artikelnr'],
  quantity: ['数量', '订购数量', '订货数量', '采购数量', '數量', 'qty', 'quantity', 'orderqty', 'menge', 'anzahl'],
  unitPrice: ['单价', '含税单价', '未税单价', '單價', 'unitprice', 'price', 'unitcost', 'netprice', 'preis', 'einzelpreis'],
  uom: ['单位', '單位', 'uom', 'unit', 'units', 'einheit'],
  description: ['描述', '名称', '品名', '产品名称', '物料名称', '物料描述', '商品名称', '规格', '名稱', '品名規格', '產品名稱', 'description', 'desc', 'productname', 'itemdescription', 'name', 'bezeichnung'],
  customerSku: ['客户料号', '客户物料号', '客户编码', '客戶料號', 'customersku', 'customerpartno', 'yourpartno', 'buyerpartno'],
  requestedDate: ['交货日期', '交期', '要求交期', '到货日期', '要求到货日期', '交貨日期', 'deliverydate', 'requesteddate', 'requireddate', 'duedate', 'liefertermin'],
  poNumber: ['订单号', '订单编号', '采购订单号', '合同号', '訂單號', 'po', 'pono', 'ponumber', 'purchaseorder', 'orderno', 'bestellnummer'],
};

const KNOWN = new Map<string, OrderColumn>(
  (Object.entries(HEADERS) as [OrderColumn, readonly string[]][]).flatMap(([column, names]) => names.map((name) => [name, column] as [string, OrderColumn])),
);

/** Every column needs these to make an order line; a table without them is not an order table. */
const REQUIRED: readonly OrderColumn[] = ['sku', 'quantity'];

export type ColumnIndexes = Partial<Record<OrderColumn, number>>;

function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replace(/[\s._\-/#:：*]/g, '');
}

/**
 * The columns of a header row: the template's first, then the known headers for what it leaves
 * open, each column used once. Undefined when the row has no SKU and quantity column.
 */
export function matchColumns(headers: readonly string[], template: EmailTemplate): ColumnIndexes | undefined {
  const keys = headers.map(headerKey);
  const taken = new Set<number>();
  const found: ColumnIndexes = {};
  for (const [column, ref] of Object.entries(template.columns) as [OrderColumn, ColumnRef | undefined][]) {
    if (ref === undefined) continue;
    const index = typeof ref === 'object' && 'letter' in ref ? columnIndex(ref.letter) : keys.indexOf(headerKey(typeof ref === 'string' ? ref : ref.header));
    if (index === -1 || index >= headers.length) continue;
    found[column] = index;
    taken.add(index);
  }
  keys.forEach((key, index) => {
    const column = KNOWN.get(key);
    if (column === undefined || found[column] !== undefined || taken.has(index)) return;
    found[column] = index;
    taken.add(index);
  });
  return REQUIRED.every((column) => found[column] !== undefined) ? found : undefined;
}
