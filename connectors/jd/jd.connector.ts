import type { z } from 'zod';
import type { ConnectorDefinition } from '../connector';
import { createShopConnector, type ShopConnector, type ShopDeps } from '../shop/shop.connector';
import { jdConfig } from './jd.config';
import { createJdPlatform } from './jd.platform';

/** Shop connectors take the shop machinery's dependencies (raw sink, ledger, cursors, inventory). */
interface ShopConnectorDefinition<S extends z.ZodObject> extends Omit<ConnectorDefinition<S>, 'create'> {
  create(config: z.output<S>, deps: ShopDeps): ShopConnector;
}

export const jdConnector: ShopConnectorDefinition<typeof jdConfig> = {
  kind: 'jd',
  summary: 'JD (京东) POP shop over JOS: orders polled by modified time, shipments posted back (pop.order.shipment), stock pushed per SKU.',
  config: jdConfig,
  create: (config, deps) => createShopConnector(createJdPlatform(config, deps.log), config, deps),
};
