import type { z } from 'zod';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { OutboundDocument } from '../connector';
import { edifactDocumentWriter } from '../edifact/edifact-documents';
import { idocDocumentWriter } from '../idoc/idoc-documents';
import { x12DocumentWriter } from '../x12/x12-documents';
import type { DocumentContext } from './document-context';

export interface OutboundDocumentContext extends DocumentContext {
  /** The partner's interchange id, as the format writes it (X12 `QUALIFIER:ID`, EDIFACT `qualifier:id`, SAP's logical system). */
  readonly partnerId: string;
  /** `documents.settings` from the connector's config, already validated by `settings`. */
  readonly settings: unknown;
}

/**
 * Writes the documents of one standard that answer an order's lifecycle (X12 855/856/810, EDIFACT
 * ORDRSP/DESADV/INVOIC, SAP IDoc ORDERS05). Named by `documents.format` in a file drop's config.
 */
export interface DocumentWriter {
  /** `documents.format` in config: 'x12', 'edifact', 'idoc'. */
  readonly format: string;
  /** The document types it writes, as `documents.on` names them: '855', 'ORDRSP', 'ORDERS05' … */
  readonly types: readonly string[];
  /** Schema of `documents.settings` (version, test/production flag …), checked when the config loads. */
  readonly settings: z.ZodType;
  /**
   * @throws ValidationError (a `user` HubError) when the order lacks what the document needs (no PO
   *   number, no shipment for an 856): writing again will not help until the order changes.
   */
  write(type: string, order: CanonicalOrder, context: OutboundDocumentContext): Promise<OutboundDocument>;
}

/** Every outbound standard, listed explicitly; one line per standard. */
export const documentWriters: readonly DocumentWriter[] = [x12DocumentWriter, edifactDocumentWriter, idocDocumentWriter];

export function documentWriter(format: string): DocumentWriter | undefined {
  return documentWriters.find((w) => w.format === format);
}
