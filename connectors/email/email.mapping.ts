import { z } from 'zod';
import { currencyCode } from '../../core/order/order.schema';
import { columnRef, spreadsheetMappingSchema } from '../spreadsheet/spreadsheet.mapping';

/**
 * What IT teaches the hub about customers' order mails, in YAML, without code (issue 3 §4). It
 * arrives as `ParseContext.mapping` and is validated here. Templates are keyed by the mail domain
 * of the ORIGINAL sender, after forwarded chains are unwrapped, so a customer's layout applies
 * whichever salesperson forwarded the mail.
 */

/** The same date-pattern syntax as spreadsheet mappings, so one customer's template reads alike everywhere. */
const dateFormat = spreadsheetMappingSchema.shape.dateFormats.unwrap().element;

/** 25 MB of attachments (what Gmail and QQ Mail let a sender attach) is about 34 MB once base64-encoded; 40 MiB leaves room for the rest. */
const DEFAULT_MAX_BYTES = 40 * 1024 * 1024;

export const emailTemplateSchema = z
  .strictObject({
    customerName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: "The customer's name on every order from this domain; wins over names read from the mail.", examples: ['ACME 建设'] }),
    customerId: z.string().trim().min(1).max(100).optional().meta({ description: "The customer's id in the ERP, set on every order from this domain." }),
    currency: currencyCode.optional().meta({ description: 'Currency when the mail names none (ISO 4217); else the mapping-wide `defaultCurrency`.', examples: ['CNY', 'USD'] }),
    columns: z
      .strictObject({
        sku: columnRef.optional(),
        quantity: columnRef.optional(),
        unitPrice: columnRef.optional(),
        uom: columnRef.optional(),
        description: columnRef.optional(),
        customerSku: columnRef.optional(),
        requestedDate: columnRef.optional().meta({ description: 'Delivery date of the line.' }),
        poNumber: columnRef.optional().meta({ description: 'PO number column of an attached sheet; rows are grouped into one order per PO.' }),
      })
      .prefault({})
      .meta({
        description:
          'Headers (or letters) of the order columns in this customer\'s attached sheets and body tables. Only what differs from the usual headers (SKU/型号/物料编码, 数量/Qty, 单价/Unit Price …) needs naming.',
      }),
    sheet: z.string().min(1).optional().meta({ description: 'Worksheet of an attached .xlsx; the first one when absent.' }),
    headerRow: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Row (1-based) of the column headers in attached sheets; found by its headers when absent.' }),
    dateFormat: z
      .union([dateFormat, z.array(dateFormat).min(1)])
      .transform((formats) => (typeof formats === 'string' ? [formats] : formats))
      .default([])
      .meta({
        description:
          'Date pattern(s) this customer writes, tried before the unambiguous ones (2026-12-15, 2026/12/15, 2026年12月15日) that are always understood. Needed for day-first or month-first dates such as 15/12/2026.',
        examples: ['DD/MM/YYYY', ['YYYY/MM/DD', 'DD.MM.YYYY']],
      }),
    decimalComma: z.boolean().default(false).meta({ description: 'Numbers in the mail and its text sheets use a decimal comma ("1.234,50").' }),
    documents: z
      .record(z.string().min(1), z.record(z.string(), z.unknown()))
      .default({})
      .meta({
        description: "Mapping handed to the document parser of each format for this customer's attachments, by format name.",
        examples: [{ 'x12-850': { defaultCurrency: 'CNY' } }],
      }),
  })
  .meta({ description: "One customer's order-mail layout." });

export const emailMappingSchema = z
  .strictObject({
    templates: z
      .record(
        z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a lower-case mail domain such as acme.cn'),
        emailTemplateSchema,
      )
      .default({})
      .meta({
        description: "Sender templates by the original sender's mail domain; a sub-domain (mail.acme.cn) uses its parent's (acme.cn) when it has none.",
        examples: [{ 'acme.cn': { columns: { sku: '物料编码', quantity: '数量', unitPrice: '单价' }, dateFormat: 'YYYY/MM/DD', currency: 'CNY', customerName: 'ACME 建设' } }],
      }),
    defaultCurrency: currencyCode.default('CNY').meta({ description: 'Currency of orders whose mail and template name none (ISO 4217).' }),
    maxBytes: z.number().int().positive().default(DEFAULT_MAX_BYTES).meta({ description: 'Largest raw mail read, in bytes; a larger one is refused as document.too_large.' }),
  })
  .meta({ description: 'How order mails are read: sender templates per customer domain.' });

export type EmailMapping = z.output<typeof emailMappingSchema>;
export type EmailTemplate = z.output<typeof emailTemplateSchema>;
export type TemplateColumn = keyof EmailTemplate['columns'];

const NO_TEMPLATE: EmailTemplate = emailTemplateSchema.parse({});

/** The template for a sender's domain, or its nearest parent domain's; an empty template when none. */
export function templateFor(mapping: EmailMapping, email: string | undefined): EmailTemplate {
  const domain = email?.split('@')[1]?.toLowerCase();
  for (let at = domain; at !== undefined && at.includes('.'); at = at.slice(at.indexOf('.') + 1)) {
    const template = mapping.templates[at];
    if (template) return template;
  }
  return NO_TEMPLATE;
}
