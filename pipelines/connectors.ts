import type { Logger } from 'pino';
import type { CursorStore, IntakeLedger, InventoryStore, SequenceStore } from '../core/store/store.port';
import type { Connector, FormatParser, OutboundDocument } from '../connectors/connector';
import type { DocumentArchive } from '../connectors/documents/document-archive';
import type { RawSink } from '../connectors/folder/raw-sink';
import { connectorDefinitions, type ConnectorConfig } from '../connectors/registry';

/** Everything any connector kind may ask for; each kind takes the part it needs. */
export interface HubConnectorDeps {
  readonly log: Logger;
  /** The only way input enters: resolves once durably stored (and queued for intake). */
  readonly raw: RawSink;
  /** Format sniffers for transports that carry documents (folders, SFTP, mail attachments). */
  readonly parsers: readonly FormatParser[];
  /** Control numbers for the documents connectors write (X12 ISA13/GS06/ST02). */
  readonly sequences: SequenceStore;
  /** Keeps each document the hub writes, once, as an outbound raw message. */
  readonly archive: DocumentArchive;
  /** Custody of inbound units by their source identity (IMAP account, mailbox, UIDVALIDITY, UID), recorded before the source is acknowledged. */
  readonly ledger: IntakeLedger;
  /** Where pollers keep how far they have read (a shop's modified-time cursor, what stock a platform was last told). */
  readonly cursors: CursorStore;
  /** Available-to-promise, for connectors that push stock out to sales channels. */
  readonly inventory: Pick<InventoryStore, 'positions' | 'list'>;
}

/** A connector that can send a document back the way input came (a file drop's outbox). */
export interface OutboxConnector extends Connector {
  writeOutbound(doc: OutboundDocument): Promise<unknown>;
}

export function hasOutbox(connector: Connector): connector is OutboxConnector {
  return typeof (connector as Partial<OutboxConnector>).writeOutbound === 'function';
}

/** A connector that fetches on a timer (folder, SFTP, and later pollers). */
export interface PollingConnector extends Connector {
  poll(signal: AbortSignal): Promise<unknown>;
}

export function isPolling(connector: Connector): connector is PollingConnector {
  return typeof (connector as Partial<PollingConnector>).poll === 'function';
}

/** Builds every configured connector from its kind's definition; a bad config fails the start. */
export function createConnectors(configs: readonly ConnectorConfig[], deps: HubConnectorDeps): Connector[] {
  return configs.map((config) => {
    const definition = connectorDefinitions.find((d) => d.kind === config.kind);
    if (!definition) throw new Error(`no connector definition for kind ${config.kind}`);
    const create = definition.create as (config: unknown, deps: HubConnectorDeps) => Connector;
    return create(definition.config.parse(config), { ...deps, log: deps.log.child({ connectorId: config.id }) });
  });
}
