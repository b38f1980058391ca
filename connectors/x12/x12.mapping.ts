import { z } from 'zod';
import { currencyCode } from '../../core/order/order.schema';

/**
 * How one partner's X12 850s map onto the canonical order: data, not code (issue 4 §5). It arrives
 * as `ParseContext.mapping` (per-partner YAML) and is validated here, so a bad mapping is one clear
 * problem instead of a wrong order. Every field has a default that fits a plain VICS-style 850.
 */

/** An X12 qualifier code: N1 entity (BY, ST), PO1 product ID (VP, BP), REF, DTM or AMT qualifier. */
const qualifier = z
  .string()
  .regex(/^[A-Z0-9]{1,3}$/, 'an X12 qualifier code such as VP, ST or 002')
  .meta({ description: 'An X12 qualifier code (1–3 upper-case letters or digits).' });

const qualifiers = (what: string, fallback: readonly string[]) =>
  z
    .array(qualifier)
    .min(1)
    .default([...fallback])
    .meta({ description: `${what}; the first qualifier found in this order wins.`, examples: [[...fallback]] });

/** 20 MiB: far above any real purchase order interchange, small enough to hold decoded in memory. */
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** 100k segments ≈ 25k order lines; the schema caps one order at 10k lines. */
const DEFAULT_MAX_SEGMENTS = 100_000;
/** The longest 850 segments (MSG, PID) stay under 300 characters; 4 KiB also catches a missing terminator early. */
const DEFAULT_MAX_SEGMENT_LENGTH = 4096;

export const x12MappingSchema = z
  .strictObject({
    defaultCurrency: currencyCode
      .default('USD')
      .meta({ description: 'Currency when the 850 has no CUR segment (ISO 4217).', examples: ['USD', 'CNY'] }),
    poNumberRef: qualifier.optional().meta({
      description: 'REF01 qualifier whose REF02 is the PO number, for partners that do not put it in BEG03. BEG03 is used when absent.',
      examples: ['PO', 'CO'],
    }),
    parties: z
      .strictObject({
        customer: qualifier.default('BY').meta({ description: 'N101 entity code of the ordering customer.', examples: ['BY', 'SO'] }),
        shipTo: qualifier.default('ST').meta({ description: 'N101 entity code of the ship-to address.', examples: ['ST', 'DA'] }),
        billTo: qualifier.default('BT').meta({ description: 'N101 entity code of the bill-to address.', examples: ['BT'] }),
        customerFallback: z.enum(['sender', 'none']).default('sender').meta({
          description:
            'When no N1 loop names the customer: `sender` takes the interchange sender (ISA05:ISA06), as many retailers identify themselves only there; `none` rejects the order.',
        }),
      })
      .prefault({})
      .meta({ description: 'Which N1 loops are the customer, ship-to and bill-to.' }),
    items: z
      .strictObject({
        sku: qualifiers('PO1 product ID qualifiers that give our SKU (vendor part)', ['VP', 'VN']),
        customerSku: qualifiers("PO1 product ID qualifiers that give the customer's own part number", ['BP', 'IN', 'CB']),
      })
      .prefault({})
      .meta({ description: 'Which PO106/PO107 (and later) qualifier pairs give the SKU and the customer SKU.' }),
    dates: z
      .strictObject({
        delivery: qualifiers('DTM01 qualifiers of the requested delivery date, at header and line level', ['002']),
      })
      .prefault({})
      .meta({ description: 'Which DTM qualifiers carry which date.' }),
    totals: z
      .strictObject({
        gross: qualifiers('AMT01 qualifiers whose AMT02 is the order total the partner claims', ['TT']),
      })
      .prefault({})
      .meta({ description: 'Which AMT qualifiers carry the claimed totals.' }),
    limits: z
      .strictObject({
        maxBytes: z.number().int().positive().default(DEFAULT_MAX_BYTES).meta({ description: 'Largest document read, in bytes; larger ones are refused as document.too_large.' }),
        maxSegments: z
          .number()
          .int()
          .positive()
          .default(DEFAULT_MAX_SEGMENTS)
          .meta({ description: 'Most segments in one interchange; more is refused as document.too_many_segments.' }),
        maxSegmentLength: z
          .number()
          .int()
          .positive()
          .default(DEFAULT_MAX_SEGMENT_LENGTH)
          .meta({ description: 'Longest segment in characters; longer means a missing or wrong terminator (x12.envelope).' }),
      })
      .prefault({})
      .meta({ description: 'Bounds on time and memory for hostile or broken input.' }),
  })
  .meta({ description: 'Per-partner mapping of X12 850 purchase orders onto the canonical order.' });

export type X12Mapping = z.output<typeof x12MappingSchema>;
export type X12MappingInput = z.input<typeof x12MappingSchema>;
