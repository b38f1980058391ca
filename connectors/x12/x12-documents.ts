import { z } from 'zod';
import { ValidationError } from '../../core/errors/validation.error';
import type { SequenceStore } from '../../core/store/store.port';
import type { ParseResult } from '../connector';
import type { Acknowledge } from '../documents/acknowledgements';
import type { DocumentWriter } from '../documents/outbound-documents';
import { invoiceOf, shipmentOf } from '../documents/order-documents';
import type { X12GroupOutcome, X12ParseResult } from './x12-850.parser';
import { generate810 } from './x12-810.generator';
import { generate855 } from './x12-855.generator';
import { generate856 } from './x12-856.generator';
import { generate997 } from './x12-997.generator';
import type { X12InterchangeHeader } from './x12-interchange-header';
import { acceptanceOf, generateTa1, rejectionOf } from './x12-ta1.generator';
import type { ControlNumbers } from './x12-writer';

/**
 * X12 as the hub's document registries see it: the 997 or TA1 that answers every 850 interchange,
 * and the 855/856/810 written on lifecycle events.
 */

/**
 * ISA13, GS06 and ST02 from the store's sequences, one series per (our id, partner id): a partner
 * checks our numbers for uniqueness and gaps on what it receives from us, whatever the document.
 */
export function x12ControlNumbers(sequences: Pick<SequenceStore, 'next'>, ourId: string, partnerId: string): ControlNumbers {
  return { next: (scope) => sequences.next(`x12:${scope}:${ourId}:${partnerId}`) };
}

function isX12Result(result: ParseResult): result is X12ParseResult {
  return Array.isArray((result as Partial<X12ParseResult>).groups);
}

/** We answer in the version we were written in: a 4010 partner's translator may not read a 5010 997. */
function versionOf(group: X12GroupOutcome): '004010' | '005010' {
  return group.version.startsWith('00401') ? '004010' : '005010';
}

/**
 * A repeated interchange is not taken again, so every group and set in it is rejected (AK5*R,
 * AK9*R). X12 has no 997 code for "duplicate interchange" (that is TA1 TA105 025), so the group
 * carries an interchange-level issue that rejects it without an AK905 code.
 */
function rejectedAsDuplicate(group: X12GroupOutcome): X12GroupOutcome {
  return {
    ...group,
    issues: [...group.issues, { code: 'x12.interchange_control_number', path: 'ISA13', message: 'the interchange was received before; nothing in it is taken again' }],
    sets: group.sets.map((set) => ({ ...set, status: 'rejected' })),
  };
}

/** A TA1 on its own answers in the control version the sender used: 00401 and before as 004010. */
function versionOfHeader(header: X12InterchangeHeader): '004010' | '005010' {
  return header.version !== '' && header.version < '00501' ? '004010' : '005010';
}

/**
 * The answer to an X12 850 interchange, to its sender, from that partner's sequences:
 *
 * - envelope unreadable (`ok: false`) but its ISA names sender, control number, date and time: a
 *   TA1 rejecting it (TA104 R, TA105 the first problem), alone, since no 997 can be written;
 * - read: a 997 per group and set, as parsed, or all rejected for a duplicate; when the sender set
 *   ISA14 to 1, preceded by a TA1 accepting the envelope (A, 000), in the same interchange;
 * - read but holding no group: a TA1 accepting it when ISA14 asks for one, else nothing;
 * - ISA unreadable: nothing, for nobody can be addressed.
 *
 * A duplicate gets no TA1 even when asked: its 997 already rejects everything, and a TA1 R 025
 * beside it would answer the same interchange twice.
 */
export const acknowledgeX12: Acknowledge = async (result, context) => {
  if (!isX12Result(result)) return undefined;
  const { header } = result;
  // The strict reader's sender when it read the ISA (the loose header may still miss a malformed ISA09).
  const partnerId = result.interchange?.sender ?? header?.sender;
  if (!partnerId) return undefined;
  const options = (version: '004010' | '005010') => ({
    controlNumbers: x12ControlNumbers(context.sequences, context.ourId, partnerId),
    sender: context.ourId,
    receiver: partnerId,
    now: context.now,
    version,
  });
  if (!result.ok) return header ? generateTa1(rejectionOf(result, header), options(versionOfHeader(header))) : undefined;
  const ta1 = header?.acknowledgmentRequested && !context.duplicate ? acceptanceOf(header) : undefined;
  if (result.groups.length === 0) return header && ta1 ? generateTa1(ta1, options(versionOfHeader(header))) : undefined;
  const groups = context.duplicate ? result.groups.map(rejectedAsDuplicate) : result.groups;
  return generate997({ ...result, groups }, options(versionOf(groups[0]!)), ta1);
};

const x12Settings = z.object({
  version: z.enum(['004010', '005010']).default('005010').meta({ description: 'X12 version of the documents written (GS08).' }),
  usage: z.enum(['P', 'T']).default('P').meta({ description: 'ISA15: P production, T test data.' }),
});

/** X12 855 order acknowledgment, 856 ship notice and 810 invoice for a file drop's `documents`. */
export const x12DocumentWriter: DocumentWriter = {
  format: 'x12',
  types: ['855', '856', '810'],
  settings: x12Settings,
  async write(type, order, context) {
    const settings = x12Settings.parse(context.settings);
    const options = {
      controlNumbers: x12ControlNumbers(context.sequences, context.ourId, context.partnerId),
      sender: context.ourId,
      receiver: context.partnerId,
      now: context.now,
      ...settings,
    };
    if (type === '855') return generate855(order, options);
    if (type === '856') return generate856(order, shipmentOf(order, '856'), options);
    if (type === '810') return generate810(order, invoiceOf(order), options);
    throw new ValidationError(`X12 document ${type} is not written by the hub`, [{ path: 'documents.on', message: `one of ${x12DocumentWriter.types.join(', ')}` }]);
  },
};
