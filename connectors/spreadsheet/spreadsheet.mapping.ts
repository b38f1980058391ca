import iconv from 'iconv-lite';
import { z } from 'zod';

/**
 * How one partner's order sheet maps onto the canonical order: data, not code (issue 4 §5). It
 * arrives as `ParseContext.mapping` and is validated here, so a bad mapping is one clear problem
 * instead of a wrong order.
 */

/** Where a column is found: its header text as written in the header row, or its letter (A, B … AA). */
export const columnRef = z
  .union([
    z.string().trim().min(1).meta({ description: 'Header text as written in the header row, e.g. "数量".' }),
    z.strictObject({ header: z.string().trim().min(1).meta({ description: 'Header text as written in the header row.' }) }),
    z.strictObject({
      letter: z
        .string()
        .regex(/^[A-Za-z]{1,3}$/, 'a column letter such as C or AB')
        .transform((letter) => letter.toUpperCase())
        .meta({ description: 'Column letter, A for the first column; for sheets whose headers change or are missing.' }),
    }),
  ])
  .meta({ description: 'A column, by header text (`数量` or `{ header: 数量 }`) or by letter (`{ letter: C }`).' });

/** An order-level field: a column repeated on every row of the order, or one value for the whole sheet. */
export const orderFieldSource = z
  .union([columnRef, z.strictObject({ value: z.string().trim().min(1).meta({ description: 'The same value for every order in the sheet.' }) })])
  .meta({ description: 'A column (header text, `{ header }` or `{ letter }`) repeated on each row, or a fixed `{ value }`.' });

/** Tokens YYYY, YY, MM, M, DD, D; anything else is literal text. */
const dateFormat = z
  .string()
  .min(1)
  .refine((format) => /YY/.test(format) && /M/.test(format) && /D/.test(format), 'must contain YYYY (or YY), M or MM, and D or DD')
  .meta({ description: 'A date pattern: YYYY or YY, MM or M, DD or D; other characters are literal.', examples: ['YYYY-MM-DD', 'DD/MM/YYYY', 'YYYY年M月D日'] });

export const spreadsheetMappingSchema = z
  .strictObject({
    sheet: z.string().min(1).optional().meta({ description: 'Worksheet to read in an .xlsx file; the first one when absent. Ignored for CSV.' }),
    headerRow: z.number().int().positive().default(1).meta({ description: 'Row (1-based) that holds the column headers; data starts below it.' }),
    lines: z
      .strictObject({
        sku: columnRef,
        quantity: columnRef,
        unitPrice: columnRef,
        uom: columnRef.optional(),
        description: columnRef.optional(),
        customerSku: columnRef.optional(),
        lineNo: columnRef.optional().meta({ description: 'Line number column; lines are numbered 1, 2 … per order when absent.' }),
        requestedDate: columnRef.optional(),
        taxRatePct: columnRef.optional().meta({ description: 'Tax rate in percent, e.g. 13 for China VAT.' }),
      })
      .meta({ description: 'Columns of an order line.' }),
    order: z
      .strictObject({
        poNumber: orderFieldSource.optional().meta({ description: 'PO number; rows are grouped into one order per PO. Without it the sheet is one order.' }),
        customerName: orderFieldSource,
        customerId: orderFieldSource.optional(),
        currency: orderFieldSource,
        deliveryDate: orderFieldSource.optional().meta({ description: 'Requested delivery date of the whole order.' }),
        paymentTerms: orderFieldSource.optional(),
      })
      .meta({ description: 'Order-level fields, each from a column or a fixed value.' }),
    dateFormats: z.array(dateFormat).min(1).default(['YYYY-MM-DD']).meta({ description: 'Date patterns tried in order for text cells.' }),
    decimalComma: z
      .boolean()
      .default(false)
      .meta({ description: 'Text numbers use a decimal comma ("1.234,50"). Numeric .xlsx cells are locale-free and never affected.' }),
    delimiter: z
      .enum(['auto', ',', ';', '\t'])
      .default('auto')
      .meta({ description: 'CSV field separator; `auto` picks the one that splits the header row into the most fields.' }),
    encoding: z
      .string()
      .default('auto')
      .refine((name) => name === 'auto' || iconv.encodingExists(name), 'unknown encoding')
      .meta({
        description: 'CSV text encoding: `auto` follows a BOM, else UTF-8 if the bytes are valid UTF-8, else GB18030 (a superset of GBK).',
        examples: ['auto', 'utf-8', 'gb18030', 'shift_jis'],
      }),
    limits: z
      .strictObject({
        maxBytes: z.number().int().positive().default(20 * 1024 * 1024).meta({ description: 'Largest file read, in bytes.' }),
        maxUncompressedBytes: z
          .number()
          .int()
          .positive()
          .default(100 * 1024 * 1024)
          .meta({ description: 'Largest total unpacked size of an .xlsx (a ZIP), in bytes, as its directory declares it.' }),
        maxRows: z.number().int().positive().default(50_000).meta({ description: 'Most data rows read from one sheet.' }),
      })
      .prefault({})
      .meta({ description: 'Caps that keep a hostile or mistaken file from exhausting memory.' }),
  })
  .meta({ description: 'Column mapping of a CSV or Excel order sheet.' });

export type SpreadsheetMapping = z.output<typeof spreadsheetMappingSchema>;
export type ColumnRef = z.output<typeof columnRef>;
export type OrderFieldSource = z.output<typeof orderFieldSource>;
