import { z } from 'zod';
import { xmlLimitsSchema } from '../shared/safe-xml';

/**
 * How one partner's cXML OrderRequests map onto the canonical order: data, not code (issue 4 §5).
 * It arrives as `ParseContext.mapping` (per-partner YAML) and is validated here; every field has a
 * default that fits an Ariba- or Coupa-style OrderRequest.
 */
export const cxmlMappingSchema = z
  .strictObject({
    customer: z
      .strictObject({
        source: z.enum(['from-credential', 'buyer-contact']).default('from-credential').meta({
          description:
            '`from-credential`: the customer id is the Header/From credential identity and the name is BillTo/Address/Name (the identity when there is none); the Contact with `contactRole` fills customer.contact. `buyer-contact`: that Contact is the customer (Name, @addressID as id, Email, Phone).',
        }),
        credentialDomain: z
          .string()
          .min(1)
          .optional()
          .meta({
            description: 'Which Header/From credential identifies the customer, by @domain, case-insensitive (the first one when unset); the To credential of that domain is preferred too.',
            examples: ['NetworkID', 'DUNS'],
          }),
        contactRole: z.string().min(1).default('buyer').meta({ description: 'Contact/@role of the buyer contact.', examples: ['buyer', 'endUser'] }),
      })
      .prefault({})
      .meta({ description: 'Who the customer is in the document.' }),
    totalIs: z.enum(['gross', 'net']).default('gross').meta({
      description:
        'What OrderRequestHeader/Total claims: `gross` (tax included) or `net` (the sum of the items, as the cXML guide defines it). Header Tax/Money is always the claimed tax.',
    }),
    orderTypes: z
      .array(z.enum(['new', 'update', 'delete']))
      .min(1)
      .default(['new'])
      .meta({ description: 'OrderRequestHeader/@type values accepted; any other type rejects the order (an update is not a new order).' }),
    paymentTermsExtrinsic: z
      .string()
      .min(1)
      .default('PaymentTerms')
      .meta({ description: 'Header Extrinsic/@name holding payment terms as text, read when the header has no PaymentTerm element.' }),
    lineNumbers: z.enum(['document', 'position']).default('document').meta({
      description: '`document`: ItemOut/@lineNumber (position when absent; a non-numeric one is an error). `position`: 1, 2, 3 … in document order.',
    }),
    limits: xmlLimitsSchema,
  })
  .meta({ description: 'Per-partner mapping of cXML OrderRequests onto the canonical order.' });

export type CxmlMapping = z.output<typeof cxmlMappingSchema>;
export type CxmlMappingInput = z.input<typeof cxmlMappingSchema>;
