import type { InventoryStore } from '../core/store/store.port';
import type { Connector } from '../connectors/connector';
import { syncStock, type StockSource } from '../connectors/wms-rest/wms-rest.connector';
import type { ConnectorConfig } from '../connectors/registry';
import type { PollingConnector } from './connectors';

/**
 * The scheduled stock syncs: each WMS with `stockSyncIntervalMs` becomes a job for the poll
 * scheduler that reads its whole stock into the hub's inventory (absolute on-hand figures, so a
 * repeated run is harmless; reservations are the hub's own and stay).
 */
export function stockSyncJobs(
  connectors: readonly Connector[],
  configs: readonly ConnectorConfig[],
  inventory: Pick<InventoryStore, 'setStock'>,
): { connector: PollingConnector; intervalMs: number }[] {
  return configs.flatMap((config) => {
    if (config.kind !== 'wms-rest' || config.stockSyncIntervalMs === undefined) return [];
    const source = connectors.find((c) => c.id === config.id) as (Connector & StockSource) | undefined;
    if (!source) return [];
    const job: PollingConnector = { id: `${config.id}:stock-sync`, kind: 'stock-sync', poll: (signal) => syncStock(source, inventory, signal) };
    return [{ connector: job, intervalMs: config.stockSyncIntervalMs }];
  });
}
