import { z } from 'zod';
import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { SequenceStore } from '../../core/store/store.port';
import type { ParseResult } from '../connector';
import type { Acknowledge } from '../documents/acknowledgements';
import type { DocumentWriter } from '../documents/outbound-documents';
import { invoiceOf, shipmentOf } from '../documents/order-documents';
import type { EdifactEnvelopeSummary } from './edifact.envelope';
import type { ControlNumbers } from './edifact.writer';
import { generateContrl } from './edifact-contrl.generator';
import { generateDesadv } from './edifact-desadv.generator';
import { generateInvoic } from './edifact-invoic.generator';
import { partyId, type EdifactParseResult } from './edifact-orders.parser';
import { generateOrdrsp } from './edifact-ordrsp.generator';

/**
 * UN/EDIFACT as the hub's document registries see it: the CONTRL that answers every ORDERS
 * interchange whose header was read, and the ORDRSP/DESADV/INVOIC written on lifecycle events.
 */

/**
 * UNB05 and UNH01 from the store's sequences, one series per (our id, partner id): a partner
 * checks the references it receives from us for uniqueness, whatever the message.
 */
function edifactControlNumbers(sequences: Pick<SequenceStore, 'next'>, ourId: string, partnerId: string): ControlNumbers {
  return { next: (scope) => sequences.next(`edifact:${scope}:${ourId}:${partnerId}`) };
}

/** The UNB was read far enough to name its sender: someone to address, a reference to answer. */
function addressable(result: ParseResult): result is EdifactParseResult & { readonly envelope: EdifactEnvelopeSummary } {
  const envelope = (result as Partial<EdifactParseResult>).envelope;
  return envelope !== undefined && (envelope.sender[0] ?? '') !== '';
}

/**
 * The CONTRL for an EDIFACT ORDERS interchange, to its sender: accepting, rejecting the messages
 * that failed, rejecting the whole interchange when its envelope is broken, or with 0085 code 26
 * when it is a duplicate. None when no UNB naming a sender was read: there is no one to answer.
 */
export const acknowledgeEdifact: Acknowledge = async (result, context) => {
  if (!addressable(result)) return undefined;
  const partnerId = partyId(result.envelope.sender);
  return generateContrl(result, {
    controlNumbers: edifactControlNumbers(context.sequences, context.ourId, partnerId),
    sender: context.ourId,
    receiver: partnerId,
    now: context.now,
    duplicate: context.duplicate,
  });
};

const edifactSettings = z.strictObject({
  version: z.enum(['D:96A', 'D:01B']).default('D:96A').meta({ description: 'Directory of ORDRSP, DESADV and INVOIC (UNH02); a CONTRL is always CONTRL:D:3.' }),
});

/** Each document refers to the buyer's order by RFF+ON; without it the partner cannot match it to anything. */
function requirePoNumber(order: CanonicalOrder, type: string): void {
  if (!order.poNumber) throw new ValidationError(`order ${order.id} has no PO number; the ${type} must name the partner's PO`, [{ path: 'poNumber', message: 'is required' }]);
}

/** EDIFACT ORDRSP order response, DESADV despatch advice and INVOIC invoice for a file drop's `documents`. */
export const edifactDocumentWriter: DocumentWriter = {
  format: 'edifact',
  types: ['ORDRSP', 'DESADV', 'INVOIC'],
  settings: edifactSettings,
  async write(type, order, context) {
    // What the order must have is checked before a control number is drawn (DESADV's shipment too).
    requirePoNumber(order, type);
    const options = {
      controlNumbers: edifactControlNumbers(context.sequences, context.ourId, context.partnerId),
      sender: context.ourId,
      receiver: context.partnerId,
      now: context.now,
      ...edifactSettings.parse(context.settings),
    };
    if (type === 'ORDRSP') return generateOrdrsp(order, options);
    if (type === 'DESADV') return generateDesadv(order, shipmentOf(order, 'DESADV'), options);
    if (type === 'INVOIC') return generateInvoic(order, { ...options, documentNumber: invoiceOf(order).invoiceNumber });
    throw new ValidationError(`EDIFACT document ${type} is not written by the hub`, [{ path: 'documents.on', message: `one of ${edifactDocumentWriter.types.join(', ')}` }]);
  },
};
