import { z } from 'zod';
import { currencyCode } from '../../core/order/order.schema';

const codes = (defaults: string[], description: string, examples: string[][]) =>
  z.array(z.string().min(1).max(3)).min(1).default(defaults).meta({ description, examples });

/**
 * How one partner's ORDERS map to the canonical order: the qualifiers that differ from partner to
 * partner are data here, overridden per partner in YAML, never code. Every field has a default
 * that fits EANCOM and plain UN/EDIFACT senders.
 */
export const edifactMappingSchema = z
  .object({
    versions: z
      .array(z.string().regex(/^[A-Z]:[0-9]{2}[A-Z]$/, "version and release as in UNH02, e.g. 'D:96A'"))
      .min(1)
      .default(['D:96A', 'D:01B'])
      .meta({ description: 'ORDERS directory versions taken (UNH02 version:release); others are rejected naming UNH02.', examples: [['D:96A', 'D:01B', 'D:97A']] }),
    messageFunctions: codes(['9'], 'BGM03 message function codes (1225) read as a new order: 9 original. Cancellations (1) and replacements (5) are rejected.', [['9', '31']]),
    parties: z
      .object({
        customer: codes(['BY'], 'NAD qualifiers (3035) of the customer, first found wins.', [['BY', 'OB']]),
        shipTo: codes(['ST', 'DP'], 'NAD qualifiers of the ship-to address, first found wins.', [['DP']]),
        billTo: codes(['IV'], 'NAD qualifiers of the bill-to address, first found wins.', [['IV', 'BY']]),
      })
      .prefault({})
      .meta({ description: 'Which NAD party is which canonical party.' }),
    articleNumbers: z
      .object({
        sku: codes(['SA'], "Item number types (7143, in LIN03 and PIA) that are the hub's SKU, in order of preference: SA supplier's article number.", [['SA', 'EN', 'SRV']]),
        customerSku: codes(['BP', 'IN'], "Item number types that are the customer's own number: BP buyer's part number, IN buyer's item number.", [['BP']]),
      })
      .prefault({})
      .meta({ description: 'Which LIN/PIA item numbers become sku and customerSku.' }),
    deliveryDateQualifiers: codes(['2', '64'], 'DTM qualifiers (2005) read as the requested delivery date, in order of preference: 2 delivery date requested, 64 earliest delivery.', [['137'], ['2', '69']]),
    quantityQualifiers: codes(['21', '1'], 'QTY qualifiers (6063) read as the ordered quantity, in order of preference: 21 ordered, 1 discrete quantity.', [['21']]),
    priceQualifiers: codes(['AAA', 'AAB'], 'PRI qualifiers (5125) read as the unit price, in order of preference: AAA net, AAB gross.', [['AAB']]),
    text: z
      .object({
        paymentTerms: codes(['AAB'], 'FTX subject codes (4451) read as payment terms.', [['AAB', 'PMT']]),
        notes: codes(['AAI', 'PUR'], 'FTX subject codes read as notes.', [['AAI']]),
        specialRequirements: codes(['DEL', 'DIN'], 'FTX subject codes read as special requirements (delivery instructions).', [['DEL']]),
      })
      .prefault({})
      .meta({ description: 'Which FTX texts go where.' }),
    totals: z
      .object({
        net: codes(['79'], 'Summary MOA qualifiers (5025) read as the claimed net total: 79 total line items amount.', [['79', '125']]),
        tax: codes(['124', '176'], 'Summary MOA qualifiers read as the claimed tax total: 124 tax amount, 176 message total duty/tax/fee amount.', [['124']]),
        gross: codes(['86'], 'Summary MOA qualifiers read as the claimed gross total: 86 message total monetary amount.', [['86', '128']]),
      })
      .prefault({})
      .meta({ description: 'Which summary MOA amounts become claimedTotals; the hub computes its own and cross-checks.' }),
    defaultCurrency: currencyCode.optional().meta({ description: 'Currency when the message has no CUX; without it such a message is rejected.', examples: ['EUR', 'CNY'] }),
    limits: z
      .object({
        maxBytes: z
          .number()
          .int()
          .positive()
          .default(20 * 2 ** 20)
          .meta({ description: 'Largest document read, in bytes; larger ones are rejected unread (document.too_large).', examples: [20_971_520] }),
        maxSegments: z
          .number()
          .int()
          .positive()
          .default(100_000)
          .meta({ description: 'Most segments read from one document: 10,000 order lines of about eight segments each, with room to spare.', examples: [100_000] }),
      })
      .prefault({})
      .meta({ description: 'Bounds on time and memory whatever the input.' }),
  })
  .strict();

export type EdifactMapping = z.output<typeof edifactMappingSchema>;
export type EdifactMappingInput = z.input<typeof edifactMappingSchema>;
