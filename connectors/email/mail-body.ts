import type { ErrorDetail } from '../../core/errors/hub-error';
import type { EmailTemplate } from './email.mapping';
import { currencyValue, dateFormats, dateValue } from './email-values';
import type { Table } from './html-body';
import { readLabelled, type OrderFieldName } from './labelled-fields';
import { tableItems, type RawItem } from './order-lines';
import { textTables } from './text-tables';

/**
 * What the text of a mail says about an order. Items, in order of preference: an HTML table, a
 * plain-text table, labelled item lines. Order fields: labelled, the first piece of text that has
 * one wins (the customer's own message first), the subject last.
 */

export interface MailText {
  /** Pieces of text, best first; the first is the customer's own message. */
  readonly sections: readonly { readonly label: string; readonly text: string }[];
  /** Tables of the HTML body, when the mail has one. */
  readonly tables: readonly Table[];
  /** Subjects, the original message's first: the last place a PO number is looked for. */
  readonly subjects: readonly string[];
}

export interface BodyFacts {
  readonly fields: Partial<Record<OrderFieldName, string>>;
  /** Fields about the customer (name, phone), read from the customer's own message only. */
  readonly identity: Partial<Record<OrderFieldName, string>>;
  readonly items: readonly RawItem[];
}

const IDENTITY_FIELDS: readonly OrderFieldName[] = ['customerName', 'phone'];

export function readBody(mail: MailText, template: EmailTemplate): BodyFacts {
  const labelled = mail.sections.map((section) => readLabelled(section.text, section.label));
  const fields: Partial<Record<OrderFieldName, string>> = {};
  for (const { fields: found } of [...labelled, ...mail.subjects.map((subject) => readLabelled(subject, 'subject'))]) {
    for (const [field, value] of Object.entries(found) as [OrderFieldName, string][]) {
      if (fields[field] === undefined && !IDENTITY_FIELDS.includes(field)) fields[field] = value;
    }
  }
  const identity = Object.fromEntries(IDENTITY_FIELDS.flatMap((field) => (labelled[0]?.fields[field] ? [[field, labelled[0].fields[field]]] : [])));
  return { fields, identity, items: bodyItems(mail, template, labelled.map((l) => l.items)) };
}

function bodyItems(mail: MailText, template: EmailTemplate, labelledItems: readonly RawItem[][]): readonly RawItem[] {
  for (const [i, table] of mail.tables.entries()) {
    const items = tableItems(table, template, `body table ${i + 1}`);
    if (items) return items;
  }
  for (const section of mail.sections) {
    for (const table of textTables(section.text, template)) {
      const items = tableItems(table, template, `${section.label} table`);
      if (items) return items;
    }
  }
  // An item needs its SKU or quantity; a stray "Unit: Shanghai plant" is not an order line.
  return labelledItems.map((items) => items.filter((item) => item.values.sku !== undefined || item.values.quantity !== undefined)).find((items) => items.length > 0) ?? [];
}

/** Order-level draft fields the body states, read into canonical values, by draft key. */
export interface BodyOrderFields {
  readonly values: Readonly<Record<string, unknown>> & { readonly currency?: string };
  /** A field the body states but that cannot be read, by the draft key it would have filled. */
  readonly problems: Readonly<Record<string, ErrorDetail>>;
}

export function orderFields(fields: BodyFacts['fields'], template: EmailTemplate): BodyOrderFields {
  const values: Record<string, unknown> & { currency?: string } = {};
  const problems: Record<string, ErrorDetail> = {};
  const bad = (key: string, field: OrderFieldName, message: string): void => {
    problems[key] = { path: `body ${field}`, message, code: 'email.value_invalid' };
  };
  if (fields.poNumber) values.poNumber = fields.poNumber;
  if (fields.paymentTerms) values.paymentTerms = fields.paymentTerms;
  if (fields.notes) values.notes = fields.notes;
  if (fields.shipTo || fields.consignee) values.shipTo = { ...(fields.consignee ? { name: fields.consignee } : {}), ...(fields.shipTo ? { street: fields.shipTo } : {}) };
  if (fields.deliveryDate) {
    const date = dateValue(fields.deliveryDate, dateFormats(template));
    if (date === undefined) bad('requestedDeliveryDate', 'deliveryDate', `"${fields.deliveryDate}" is not a date (${dateFormats(template).join(', ')})`);
    else values.requestedDeliveryDate = date;
  }
  if (fields.currency) {
    const currency = currencyValue(fields.currency);
    if (currency === undefined) bad('currency', 'currency', `"${fields.currency}" is not a currency (an ISO 4217 code such as CNY, or 人民币, 美元 …)`);
    else values.currency = currency;
  }
  return { values, problems };
}
