import { z } from 'zod';
import { restApiConfig } from './rest-api/rest-api.config';
import { webhookTargetConfig } from './webhook-target/webhook-target.config';

/**
 * Every connector kind's config schema, listed explicitly. The root config's `connectors:` is a
 * discriminated union over `kind` built from this list.
 */
export const connectorConfigSchema = z.discriminatedUnion('kind', [restApiConfig, webhookTargetConfig]);
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;
