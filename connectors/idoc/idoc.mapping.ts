import { z } from 'zod';
import { xmlLimitsSchema } from '../shared/safe-xml';

/**
 * How one partner's SAP IDoc ORDERS05 (XML) maps onto the canonical order: data, not code
 * (issue 4 §5). It arrives as `ParseContext.mapping` and is validated here; the defaults follow
 * SAP's standard qualifiers for a customer's purchase order arriving as a sales order.
 */

/** An IDoc qualifier (QUALF, IDDAT, SUMID) or partner function (PARVW): a short upper-case code. */
const code = z
  .string()
  .regex(/^[A-Z0-9]{1,3}$/, 'an IDoc qualifier such as 001 or a partner function such as AG')
  .meta({ description: 'An IDoc qualifier or partner function code (1–3 upper-case letters or digits).' });

const codes = (what: string, fallback: readonly string[]) =>
  z
    .array(code)
    .min(1)
    .default([...fallback])
    .meta({ description: `${what}; the first one found wins.`, examples: [[...fallback]] });

/** E1EDKA1 fields that can carry a party's name. */
const nameField = z.enum(['NAME1', 'NAME2', 'NAME3', 'NAME4', 'BNAME', 'ORGTX']);

export const idocMappingSchema = z
  .strictObject({
    idocTypes: z
      .array(z.string().min(1))
      .min(1)
      .default(['ORDERS05'])
      .meta({ description: 'EDI_DC40/IDOCTYP values accepted (the basic type; extensions keep it).', examples: [['ORDERS05']] }),
    poNumber: codes('E1EDK02 QUALF whose BELNR is the PO number (E1EDK01/BELNR when none is present)', ['001']),
    deliveryDate: codes('E1EDK03 IDDAT whose DATUM is the requested delivery date', ['002']),
    partners: z
      .strictObject({
        customer: code.default('AG').meta({ description: 'E1EDKA1 PARVW of the customer (sold-to).', examples: ['AG'] }),
        shipTo: code.default('WE').meta({ description: 'E1EDKA1 PARVW of the ship-to.', examples: ['WE'] }),
        billTo: code.default('RE').meta({ description: 'E1EDKA1 PARVW of the bill-to.', examples: ['RE'] }),
        contact: code.default('AP').meta({ description: "E1EDKA1 PARVW of the customer's contact person.", examples: ['AP'] }),
        nameFields: z
          .array(nameField)
          .min(1)
          .default(['NAME1'])
          .meta({ description: 'E1EDKA1 fields read for a party name; the first non-empty one wins.', examples: [['NAME1', 'BNAME']] }),
      })
      .prefault({})
      .meta({ description: 'Which E1EDKA1 partner segments are the customer, ship-to, bill-to and contact.' }),
    items: z
      .strictObject({
        sku: codes('E1EDP19 QUALF whose IDTNR is our SKU (002: material number used by the vendor)', ['002']),
        customerSku: codes("E1EDP19 QUALF whose IDTNR is the customer's part number (001: material number used by the customer)", ['001']),
      })
      .prefault({})
      .meta({ description: 'Which E1EDP19 object identifications are the SKU and the customer SKU.' }),
    totals: z
      .strictObject({
        net: codes('E1EDS01 SUMID whose SUMME is the claimed net total', ['002']),
        lineCount: code.default('001').meta({ description: 'E1EDS01 SUMID whose SUMME is the number of E1EDP01 items; a mismatch is an error.' }),
      })
      .prefault({})
      .meta({ description: 'Which E1EDS01 summary segments are read.' }),
    lineNumbers: z.enum(['document', 'position']).default('document').meta({
      description: '`document`: E1EDP01/POSEX (000010 → 10). `position`: 1, 2, 3 … in document order.',
    }),
    limits: xmlLimitsSchema,
  })
  .meta({ description: 'Per-partner mapping of SAP IDoc ORDERS05 XML onto the canonical order.' });

export type IdocMapping = z.output<typeof idocMappingSchema>;
export type IdocMappingInput = z.input<typeof idocMappingSchema>;
