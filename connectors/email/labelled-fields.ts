import type { OrderColumn } from './order-columns';
import type { RawItem } from './order-lines';

/**
 * Orders typed into the mail as `label: value`, in English or Chinese (simplified or traditional),
 * with half- or full-width colons: order fields (`订单号：HD-118`, `Delivery date: 2026-12-15`) and
 * items, one per line (`型号：PUMP-200 数量：2 单价：12800`) or spread over lines, plus the short
 * form `PUMP-200 × 2 @ 12800`. A label counts at the start of a line or after a space or separator,
 * never inside a sentence ("请按以下交货日期：" is not a field).
 */

export type OrderFieldName = 'poNumber' | 'deliveryDate' | 'shipTo' | 'consignee' | 'paymentTerms' | 'currency' | 'customerName' | 'phone' | 'notes';
type ItemFieldName = 'sku' | 'quantity' | 'unitPrice' | 'uom' | 'description';
/** Recognised so that "Total price:" is not read as an item's "price:", then dropped. */
type Ignored = 'ignored';

const LABELS: Readonly<Record<OrderFieldName | ItemFieldName | Ignored, readonly string[]>> = {
  poNumber: ['po number', 'po no', 'po no.', 'po #', 'po#', 'po', 'p.o. number', 'p.o. no.', 'purchase order number', 'purchase order no.', 'purchase order', 'order number', 'order no.', 'order no', '订单号', '订单编号', '采购订单号', '采购单号', '合同号', '合同编号', '訂單號', '訂單編號', '合同編號'],
  deliveryDate: ['delivery date', 'requested delivery date', 'required delivery date', '交货日期', '交期', '要求交货日期', '要求交期', '到货日期', '要求到货日期', '送货日期', '交貨日期', '交貨期'],
  shipTo: ['ship to', 'ship-to', 'shipping address', 'delivery address', 'deliver to', '收货地址', '送货地址', '交货地点', '交货地址', '收貨地址', '送貨地址'],
  consignee: ['consignee', 'attn', 'attention', '收货人', '收貨人'],
  paymentTerms: ['payment terms', 'payment term', 'terms of payment', 'payment', '付款方式', '付款条件', '结算方式', '付款條件'],
  currency: ['currency', '币种', '币别', '货币', '幣種', '幣別'],
  customerName: ['customer', 'customer name', 'company', 'buyer', '客户', '客户名称', '公司名称', '买方', '需方', '客戶', '客戶名稱'],
  phone: ['tel', 'phone', 'mobile', '电话', '联系电话', '手机', '電話'],
  notes: ['remarks', 'remark', 'notes', 'note', '备注', '備註'],
  sku: ['sku', 'model', 'part no', 'part no.', 'part number', 'item code', 'item no', 'item no.', '型号', '物料编码', '物料号', '料号', '货号', '产品型号', '规格型号', '型號', '物料編碼', '料號'],
  quantity: ['qty', 'quantity', '数量', '數量', '订购数量'],
  unitPrice: ['unit price', 'price', '单价', '單價', '含税单价'],
  uom: ['uom', 'unit', '单位', '單位'],
  description: ['description', 'desc', '品名', '名称', '描述', '产品名称', '名稱', '產品名稱'],
  ignored: ['total', 'total price', 'total amount', 'grand total', 'amount', 'subtotal', '合计', '总计', '总价', '金额', '小计', '合計', '總價', '金額'],
};

const FIELD_OF = new Map<string, keyof typeof LABELS>(
  (Object.entries(LABELS) as [keyof typeof LABELS, readonly string[]][]).flatMap(([field, labels]) => labels.map((label) => [label, field] as [string, keyof typeof LABELS])),
);
const ITEM_FIELDS: ReadonlySet<string> = new Set<ItemFieldName>(['sku', 'quantity', 'unitPrice', 'uom', 'description']);

const LABEL = new RegExp(
  `(?:^|(?<=[\\s,，;；|、]))(${[...FIELD_OF.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})\\s*[:：]`,
  'giu',
);
/** `PUMP-200 × 2 @ 12800`, `- VALVE-DN50 x 20个 @ ¥460.50/个`, `2. PIPE-100 * 150.5 m @ 88`. */
const ITEM_LINE = /^(?:[-*•·]\s*|\d{1,3}[.)、]\s*)?([A-Za-z0-9][\w./-]*)(?:\s+(.*?))?\s*[×xX*]\s*(\d[\d.,]*\s*[^\s\d@]*)\s*@\s*(.+?)\s*$/u;

export interface LabelledText {
  /** First value of each order field, as written. */
  readonly fields: Partial<Record<OrderFieldName, string>>;
  readonly items: RawItem[];
}

/** Reads labelled fields and item lines from one piece of a mail's text. `where` prefixes item names. */
export function readLabelled(text: string, where: string): LabelledText {
  const fields: Partial<Record<OrderFieldName, string>> = {};
  const items: { where: string; values: Partial<Record<OrderColumn, string>> }[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    // Values keep the customer's own characters (全角 commas in an address); only the item short form is read normalised.
    const line = raw.trim();
    const short = line.includes('@') || line.includes('＠') ? ITEM_LINE.exec(line.normalize('NFKC')) : null;
    if (short) {
      const [, sku, description, quantity, price] = short;
      items.push({ where: `${where} line ${index + 1}`, values: { sku: sku!, quantity: quantity!.trim(), unitPrice: price!, ...(description ? { description } : {}) } });
      return;
    }
    // Most lines of a mail have no colon at all; they cannot hold a label.
    const matches = line.includes(':') || line.includes('：') ? [...line.matchAll(LABEL)] : [];
    matches.forEach((match, i) => {
      const field = FIELD_OF.get(match[1]!.toLowerCase())!;
      let value = cleanValue(line.slice(match.index + match[0].length, matches[i + 1]?.index ?? line.length));
      // "PO number:" with the number on the next line, as some people lay out their mails.
      if (value === '' && i === matches.length - 1) value = nextLineValue(lines[index + 1]);
      if (value === '' || field === 'ignored') return;
      if (ITEM_FIELDS.has(field)) {
        const current = items[items.length - 1];
        const column = field as ItemFieldName;
        // A field the current item already has starts the next item: "型号：A 数量：1" then "型号：B 数量：2".
        if (current && current.values[column] === undefined) current.values[column] = value;
        else items.push({ where: `${where} line ${index + 1}`, values: { [column]: value } });
      } else if (fields[field as OrderFieldName] === undefined) fields[field as OrderFieldName] = value;
    });
  });
  return { fields, items };
}

function cleanValue(text: string): string {
  return text.trim().replace(/[\s,，;；|、]+$/u, '').trim();
}

function nextLineValue(line: string | undefined): string {
  if (line === undefined) return '';
  const next = line.trim();
  return next.match(LABEL) ? '' : cleanValue(next);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
