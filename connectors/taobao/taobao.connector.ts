import type { z } from 'zod';
import type { ConnectorDefinition } from '../connector';
import { createShopConnector, type ShopConnector, type ShopDeps } from '../shop/shop.connector';
import { taobaoConfig } from './taobao.config';
import { createTaobaoPlatform } from './taobao.platform';

/** Shop connectors take the shop machinery's dependencies (raw sink, ledger, cursors, inventory). */
interface ShopConnectorDefinition<S extends z.ZodObject> extends Omit<ConnectorDefinition<S>, 'create'> {
  create(config: z.output<S>, deps: ShopDeps): ShopConnector;
}

export const taobaoConnector: ShopConnectorDefinition<typeof taobaoConfig> = {
  kind: 'taobao',
  summary: 'Taobao/Tmall shop over TOP: paid trades polled by modified time, tracking posted back (logistics.offline.send), stock pushed to items.',
  config: taobaoConfig,
  create: (config, deps) => createShopConnector(createTaobaoPlatform(config, deps.log), config, deps),
};
