import { z } from 'zod';
import { xmlLimitsSchema } from '../shared/safe-xml';

/**
 * How one partner's UBL 2.x Orders (Peppol BIS Order 3 among them) map onto the canonical order:
 * data, not code (issue 4 §5). It arrives as `ParseContext.mapping` and is validated here; the
 * defaults fit Peppol BIS Order 3 and the OASIS UBL 2.1 examples.
 */

export const UBL_ORDER_NAMESPACE = 'urn:oasis:names:specification:ubl:schema:xsd:Order-2';

const ordered = <T extends string>(values: readonly [T, ...T[]], fallback: readonly T[], what: string) =>
  z
    .array(z.enum(values))
    .min(1)
    .default([...fallback])
    .meta({ description: `${what}; the first one present wins.`, examples: [[...fallback]] });

const itemIdentifications = ['SellersItemIdentification', 'BuyersItemIdentification', 'StandardItemIdentification', 'ManufacturersItemIdentification'] as const;

export const ublMappingSchema = z
  .strictObject({
    namespaces: z
      .array(z.string().min(1))
      .min(1)
      .default([UBL_ORDER_NAMESPACE])
      .meta({ description: 'Namespace URIs accepted for the Order root element.', examples: [[UBL_ORDER_NAMESPACE]] }),
    customer: z
      .strictObject({
        party: z
          .enum(['BuyerCustomerParty', 'AccountingCustomerParty', 'OriginatorCustomerParty'])
          .default('BuyerCustomerParty')
          .meta({ description: 'Which party is the customer.' }),
        id: ordered(['PartyIdentification', 'EndpointID', 'PartyLegalEntity'], ['PartyIdentification', 'EndpointID'], 'Where the customer id is read (PartyLegalEntity means its CompanyID)'),
        name: ordered(['PartyName', 'PartyLegalEntity'], ['PartyName', 'PartyLegalEntity'], 'Where the customer name is read (PartyLegalEntity means its RegistrationName)'),
      })
      .prefault({})
      .meta({ description: 'Who the customer is in the document.' }),
    billTo: z
      .enum(['AccountingCustomerParty', 'none'])
      .default('AccountingCustomerParty')
      .meta({ description: 'Whose PostalAddress is the bill-to address.' }),
    items: z
      .strictObject({
        sku: ordered(itemIdentifications, ['SellersItemIdentification'], 'Which Item identification is our SKU'),
        customerSku: ordered(itemIdentifications, ['BuyersItemIdentification'], "Which Item identification is the customer's own part number"),
        description: ordered(['Name', 'Description'], ['Name', 'Description'], 'Which Item text is the line description'),
      })
      .prefault({})
      .meta({ description: 'How order line items are read.' }),
    requestedDate: z.enum(['start', 'end']).default('start').meta({
      description: 'Which end of a RequestedDeliveryPeriod is the requested date (the other when only one is given).',
    }),
    lineNumbers: z.enum(['document', 'position']).default('document').meta({
      description: '`document`: LineItem/ID (a non-numeric one is an error). `position`: 1, 2, 3 … in document order.',
    }),
    limits: xmlLimitsSchema,
  })
  .meta({ description: 'Per-partner mapping of UBL 2.x Orders onto the canonical order.' });

export type UblMapping = z.output<typeof ublMappingSchema>;
export type UblMappingInput = z.input<typeof ublMappingSchema>;
