import type { ConnectorDefinition } from '../connector';
import { createShopConnector, type ShopDeps } from '../shop/shop.connector';
import { shopifyConfig, type ShopifyConfig } from './shopify.config';
import { createShopifyPlatform } from './shopify.platform';

export const shopify = {
  kind: 'shopify',
  summary: 'Shopify store (REST Admin API): orders by signed webhook and catch-up poll, fulfillments with tracking back, stock levels out.',
  config: shopifyConfig,
  create: (config: ShopifyConfig, deps: ShopDeps) => createShopConnector(createShopifyPlatform(config, deps.log), config, deps),
} satisfies ConnectorDefinition<typeof shopifyConfig>;
