import type { ConnectorDefinition } from '../connector';
import { createShopConnector, type ShopDeps } from '../shop/shop.connector';
import { restPollerConfig } from './rest-poller.config';
import { createRestPollerPlatform } from './rest-poller.platform';

/** A shop platform added by YAML alone: listing, sign-in, paging and JSONata mapping come from config. */
export const restPoller: ConnectorDefinition<typeof restPollerConfig> = {
  kind: 'rest-poller',
  summary:
    'Any shop or marketplace with a JSON API, described in YAML: changed orders polled by time window (page, cursor or Link paging; bearer, basic, HMAC or OAuth2 sign-in) and read with JSONata; optional signed webhooks, ship-back and stock push.',
  config: restPollerConfig,
  create: (config, deps: ShopDeps) => createShopConnector(createRestPollerPlatform(config, deps.log), config, deps),
};
