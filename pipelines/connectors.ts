import type { Logger } from 'pino';
import type { Connector } from '../connectors/connector';
import { connectorDefinitions, type ConnectorConfig } from '../connectors/registry';

/** Builds every configured connector from its kind's definition; a bad config fails the start. */
export function createConnectors(configs: readonly ConnectorConfig[], log: Logger): Connector[] {
  return configs.map((config) => {
    const definition = connectorDefinitions.find((d) => d.kind === config.kind);
    if (!definition) throw new Error(`no connector definition for kind ${config.kind}`);
    return definition.create(definition.config.parse(config), { log: log.child({ connectorId: config.id }) });
  });
}
