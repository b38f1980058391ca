import type { ConnectorDefinition } from '../connector';
import { createShopConnector, type ShopDeps } from '../shop/shop.connector';
import { wooCommerceConfig, type WooCommerceConfig } from './woocommerce.config';
import { createWooCommercePlatform } from './woocommerce.platform';

export const wooCommerce = {
  kind: 'woocommerce',
  summary: 'WooCommerce store (REST API v3): orders by signed webhook and catch-up poll, completed status and tracking note back, stock quantities out.',
  config: wooCommerceConfig,
  create: (config: WooCommerceConfig, deps: ShopDeps) => createShopConnector(createWooCommercePlatform(config, deps.log), config, deps),
} satisfies ConnectorDefinition<typeof wooCommerceConfig>;
