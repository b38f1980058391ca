import type { Logger } from 'pino';
import type { Connector, FormatParser } from '../connectors/connector';
import type { RawSink } from '../connectors/folder/raw-sink';
import { connectorDefinitions, type ConnectorConfig } from '../connectors/registry';

/** Everything any connector kind may ask for; each kind takes the part it needs. */
export interface HubConnectorDeps {
  readonly log: Logger;
  /** The only way input enters: resolves once durably stored (and queued for intake). */
  readonly raw: RawSink;
  /** Format sniffers for transports that carry documents (folders, SFTP, mail attachments). */
  readonly parsers: readonly FormatParser[];
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
