import { basename, extname } from 'node:path';
import type { Logger } from 'pino';
import { HubError } from '../core/errors/hub-error';
import type { RawMessage, SequenceStore } from '../core/store/store.port';
import type { Connector } from '../connectors/connector';
import { acknowledgements } from '../connectors/documents/acknowledgements';
import type { DocumentArchive } from '../connectors/documents/document-archive';
import type { ConnectorConfig } from '../connectors/registry';
import { hasOutbox } from './connectors';
import type { ParsedDocument } from './intake.worker';

export interface AcknowledgerDeps {
  readonly connectors: readonly Connector[];
  readonly configs: readonly ConnectorConfig[];
  readonly sequences: SequenceStore;
  readonly archive: DocumentArchive;
  readonly log: Logger;
}

/** A connector's `partner` block (file drops), when it has one. */
function partnerOf(configs: readonly ConnectorConfig[], connectorId: string): { ourId: string; acknowledge: boolean } | undefined {
  const config = configs.find((c) => c.id === connectorId);
  return config && 'partner' in config ? config.partner : undefined;
}

/** `997-000000012-<raw id>.x12`, `TA1-000000013-<raw id>.x12`: our control number for the reader, the answered message for uniqueness. */
function ackFileName(generated: string, rawMessageId: string): string {
  const extension = extname(generated);
  return `${basename(generated, extension)}-${rawMessageId}${extension}`;
}

/**
 * Intake's `acknowledge`: the standard's answer to a parsed document (X12 997, or TA1 for an
 * interchange whose envelope could not be read; EDIFACT CONTRL), also for a document quarantined
 * as unreadable or duplicate. It is generated once per raw message and kept as the outbound raw
 * message `ack:<raw id>`, so one message never gets two answers (a TA1 and a 997), then written
 * to the source connector's outbox when it has one. Only connectors with `partner` set (and `acknowledge` left on)
 * answer: without our interchange id there is no envelope to write. A failed write rejects, and
 * intake's retry finds the kept acknowledgement and writes the same file again.
 */
export function createAcknowledger(deps: AcknowledgerDeps): (raw: RawMessage, document: ParsedDocument, orderIds: readonly string[]) => Promise<void> {
  return async (raw, { result, duplicate }, orderIds) => {
    const acknowledge = acknowledgements.get(raw.format);
    const partner = partnerOf(deps.configs, raw.connectorId);
    if (!acknowledge || !partner?.acknowledge) return;
    const kept = await deps.archive
      .once(
        {
          connectorId: raw.connectorId,
          key: `ack:${raw.id}`,
          fileName: (generated) => ackFileName(generated.fileName, raw.id),
          orderIds,
          about: { answers: raw.id },
        },
        () => acknowledge(result, { sequences: deps.sequences, now: new Date(), ourId: partner.ourId, duplicate }),
      )
      .catch((err: unknown) => {
        // The answer cannot be written as configured (an id the format refuses): retrying intake
        // would not change that, and the orders are already taken, so it is reported, not retried.
        if (!(err instanceof HubError) || err.category !== 'user') throw err;
        deps.log.error({ err, rawMessageId: raw.id, connectorId: raw.connectorId }, "acknowledgement cannot be written; check the connector's partner ids");
        return undefined;
      });
    if (!kept) return;
    const source = deps.connectors.find((c) => c.id === raw.connectorId);
    const written = source !== undefined && hasOutbox(source);
    if (written) await source.writeOutbound(kept.document);
    deps.log.info({ rawMessageId: raw.id, acknowledgement: kept.rawMessageId, fileName: kept.document.fileName, duplicate, written }, 'acknowledgement kept');
  };
}
