import type { OutboundDocument, ParseResult } from '../connector';
import { acknowledgeEdifact } from '../edifact/edifact-documents';
import { acknowledgeX12 } from '../x12/x12-documents';
import type { DocumentContext } from './document-context';

export interface AcknowledgeContext extends DocumentContext {
  /**
   * The interchange was received before (same sender, receiver and control number) and is not
   * taken again: the acknowledgement rejects everything in it.
   */
  readonly duplicate: boolean;
}

/**
 * The standard's answer to a parsed document, addressed to its sender (X12 997 or TA1, EDIFACT
 * CONTRL): exactly one document per result, or undefined when there is none for it: an X12
 * interchange whose ISA names no sender, control number, date and time, or an EDIFACT one whose
 * UNB names no sender, cannot be addressed.
 */
export type Acknowledge = (result: ParseResult, context: AcknowledgeContext) => Promise<OutboundDocument | undefined>;

/** Inbound format (a FormatParser's `format`) → its acknowledgement. A format without an entry is not acknowledged. */
export const acknowledgements: ReadonlyMap<string, Acknowledge> = new Map([
  ['x12-850', acknowledgeX12],
  ['edifact-orders', acknowledgeEdifact],
]);
