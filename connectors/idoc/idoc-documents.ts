import { z } from 'zod';
import { ValidationError } from '../../core/errors/validation.error';
import type { DocumentWriter } from '../documents/outbound-documents';
import { generateIdocOrders05 } from './idoc-orders05.generator';

/**
 * SAP IDoc as a file drop's `documents`: the confirmed order pushed to SAP as an ORDERS05 sales
 * order (inbound IDoc), into a folder SAP's file port reads. SAP answers with ALEAUD/STATUS IDocs,
 * which the hub does not read, so there is no acknowledgement in either direction.
 */

/** One side of the IDoc as SAP's partner profile (WE20) and port definition (WE21) name it. */
const idocParty = (side: string, field: { type: string; port: string }) =>
  z
    .strictObject({
      partnerType: z
        .string()
        .regex(/^[A-Z]{2}$/, 'an SAP partner type such as LS or KU')
        .optional()
        .meta({ description: `${field.type}: the partner type of the ${side}; 'LS' (logical system) when unset.` }),
      port: z.string().min(1).max(10).optional().meta({ description: `${field.port}: the ${side}'s port as set up in SAP (WE21).` }),
    })
    .prefault({});

const idocSettings = z.strictObject({
  sender: idocParty('sender (the hub, partner number `partner.ourId`)', { type: 'SNDPRT', port: 'SNDPOR' }),
  receiver: idocParty('receiver (SAP, partner number `partner.theirId`)', { type: 'RCVPRT', port: 'RCVPOR' }),
  salesArea: z
    .strictObject({
      salesOrganization: z.string().min(1).max(4).meta({ description: 'VKORG.' }),
      distributionChannel: z.string().min(1).max(2).meta({ description: 'VTWEG.' }),
      division: z.string().min(1).max(2).meta({ description: 'SPART.' }),
    })
    .optional()
    .meta({ description: 'E1EDK14 sales area, when SAP cannot derive it from the sold-to party.' }),
});

/** ORDERS05 on the events `documents.on` names (order.confirmed: the sales order for SAP). */
export const idocDocumentWriter: DocumentWriter = {
  format: 'idoc',
  types: ['ORDERS05'],
  settings: idocSettings,
  async write(type, order, context) {
    if (type !== 'ORDERS05') {
      throw new ValidationError(`IDoc ${type} is not written by the hub`, [{ path: 'documents.on', message: `one of ${idocDocumentWriter.types.join(', ')}` }]);
    }
    const settings = idocSettings.parse(context.settings);
    // One series per SAP system: SAP keeps the sender's DOCNUM to trace an IDoc back. An order
    // SAP's fields cannot hold is refused after the number is drawn, which leaves a gap, never a reuse.
    const docnum = await context.sequences.next(`idoc:docnum:${context.partnerId}`);
    return generateIdocOrders05(order, {
      docnum: String(docnum),
      sender: { partner: context.ourId, ...settings.sender },
      receiver: { partner: context.partnerId, ...settings.receiver },
      now: context.now,
      salesArea: settings.salesArea,
    });
  },
};
