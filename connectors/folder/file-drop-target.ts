import { extname } from 'node:path';
import { HubError } from '../../core/errors/hub-error';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import type { SequenceStore } from '../../core/store/store.port';
import type { OutboundDocument, Target } from '../connector';
import type { DocumentArchive } from '../documents/document-archive';
import { documentWriter } from '../documents/outbound-documents';
import type { OutboundWrite } from './file-drop';

/** What writing lifecycle documents needs from the hub. */
export interface DocumentTargetDeps {
  /** Control numbers. */
  readonly sequences: Pick<SequenceStore, 'next'>;
  /** Keeps each document once per delivery, before it is written out. */
  readonly archive: DocumentArchive;
  /** @defaultValue () => new Date() */
  readonly now?: () => Date;
}

export interface DocumentTargetConfig {
  readonly id: string;
  readonly partner?: { readonly ourId: string; readonly theirId?: string | undefined } | undefined;
  readonly documents: { readonly format: string; readonly on: Partial<Record<string, string>>; readonly settings: unknown };
}

/**
 * A file drop as a delivery target: each routed event in `documents.on` becomes that document in
 * the outbox. Per delivery the document is generated once and kept (raw message keyed by the
 * delivery's idempotency key), and written as `<type>-<delivery id>.<ext>`: a retry, even after
 * an answer that was lost once the file was written, finds the kept document, writes the same
 * bytes under the same name, and the outbox answers "identical file already there".
 */
export function documentTarget(config: DocumentTargetConfig, writeOutbound: (doc: OutboundDocument) => Promise<OutboundWrite>, deps: DocumentTargetDeps): Target {
  const { documents, partner } = config;
  const writer = documentWriter(documents.format);
  // The config schema refuses both; this guards a connector built from an unchecked config.
  if (!writer || !partner?.theirId) throw new HubError('config.invalid', `connector ${config.id}: documents need a known format and partner.ourId/theirId`, 'user');
  const context = { ourId: partner.ourId, partnerId: partner.theirId, settings: documents.settings, sequences: deps.sequences };
  const now = deps.now ?? (() => new Date());
  return {
    async deliver({ delivery, event, order }) {
      const type = documents.on[event];
      if (!type) throw new PermanentPartnerError(`${config.id} writes no document on ${event}; add it to documents.on or drop the route`);
      const kept = await deps.archive
        .once(
          {
            connectorId: config.id,
            key: delivery.idempotencyKey,
            fileName: (generated) => `${type}-${delivery.id}${extname(generated.fileName)}`,
            orderIds: [order.id],
            about: { deliveryId: delivery.id, event },
          },
          () => writer.write(type, order, { ...context, now: now() }),
        )
        .catch((err: unknown) => {
          // The order lacks what the document needs (PO number, shipment): no retry will help until it changes.
          if (err instanceof HubError && err.category === 'user') throw new PermanentPartnerError(`cannot write the ${type} for order ${order.id}: ${err.message}`, {}, err);
          throw err;
        });
      const written = await writeOutbound(kept.document);
      return { responseBody: `${written.written ? 'wrote' : 'already written:'} ${written.path} (raw message ${kept.rawMessageId})` };
    },
  };
}
