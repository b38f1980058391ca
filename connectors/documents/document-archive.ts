import { createHash } from 'node:crypto';
import type { RawMessage, RawMessageStore } from '../../core/store/store.port';
import type { OutboundDocument } from '../connector';

/** What a kept document is, and what it answers. */
export interface KeptDocumentRef {
  /** The connector that sends it (the file drop the answered document came from, or the target). */
  readonly connectorId: string;
  /** Unique per connector and stable across retries: `ack:<raw message id>`, or a delivery's idempotency key. */
  readonly key: string;
  /**
   * The file name to write the generated document under, derived from what it answers, so no two
   * documents share a name; kept with the document, so every attempt writes the same name.
   */
  fileName(generated: OutboundDocument): string;
  readonly orderIds: readonly string[];
  /** Kept in the raw message's meta for the audit trail: `{ answers: rawMessageId }`, `{ deliveryId }`. */
  readonly about: Readonly<Record<string, string>>;
}

export interface KeptDocument {
  readonly document: OutboundDocument;
  readonly rawMessageId: string;
}

/**
 * Documents the hub writes, kept once per key as raw messages (channel 'outbound', status
 * processed, readable at GET /api/v1/raw/:id) before any transport sees them.
 */
export interface DocumentArchive {
  /**
   * The document kept under `ref.key`, or, the first time, the one `make()` returns, kept before it
   * is returned. A retry therefore sends the same bytes under the same control numbers, and
   * `make()` (which draws control numbers) runs once per key, short of a crash between drawing and
   * keeping, which only leaves a gap. Resolves undefined when `make()` does (nothing to send).
   */
  once<D extends OutboundDocument | undefined>(ref: KeptDocumentRef, make: () => Promise<D>): Promise<KeptDocument | Extract<D, undefined>>;
}

/** A raw message id fixed by (connector, key), so a later attempt (or a reader) finds the document with one read. */
export function keptId(connectorId: string, key: string): string {
  const hex = createHash('sha256').update(`outbound:${connectorId}:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function fromRaw(message: RawMessage): KeptDocument {
  const fileName = String(message.meta?.fileName ?? message.id);
  return { document: { format: message.format, fileName, contentType: message.contentType, body: message.body }, rawMessageId: message.id };
}

/** The archive over the store's raw messages. */
export function rawDocumentArchive(raw: Pick<RawMessageStore, 'get' | 'put'>, now: () => Date = () => new Date()): DocumentArchive {
  return {
    async once<D extends OutboundDocument | undefined>(ref: KeptDocumentRef, make: () => Promise<D>): Promise<KeptDocument | Extract<D, undefined>> {
      const id = keptId(ref.connectorId, ref.key);
      const earlier = await raw.get(id);
      if (earlier) return fromRaw(earlier);
      const document = await make();
      if (!document) return undefined as Extract<D, undefined>;
      // A racing attempt that kept its document first wins: the store answers with that one by key.
      const { message } = await raw.put({
        id,
        connectorId: ref.connectorId,
        channel: 'outbound',
        format: document.format,
        contentType: document.contentType,
        body: document.body,
        idempotencyKey: ref.key,
        receivedAt: now().toISOString(),
        meta: { ...ref.about, fileName: ref.fileName(document) },
        processed: { orderIds: ref.orderIds },
      });
      return fromRaw(message);
    },
  };
}
