import type { ConnectorDefinition } from '../connector';
import { createJsonataMapper } from './jsonata.mapper';
import { restApiConfig } from './rest-api.config';

/**
 * A named JSON channel on the hub's own REST API. It opens nothing itself: the API server (one per
 * hub) finds the connector's mapper by id when a body arrives with `?connector=<id>`.
 */
export const restApiConnector: ConnectorDefinition<typeof restApiConfig> = {
  kind: 'rest-api',
  summary: "Accepts a partner's own JSON on POST /api/v1/orders?connector=<id> and maps it with JSONata.",
  config: restApiConfig,
  create(config) {
    return { id: config.id, kind: 'rest-api', mapper: createJsonataMapper(config.id, config.mapping) };
  },
};
