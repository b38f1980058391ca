import { z } from 'zod';
import type { ConnectorDefinition, FormatParser } from './connector';
import { restApiConnector } from './rest-api/rest-api.connector';
import { restApiConfig } from './rest-api/rest-api.config';
import { webhookTarget } from './webhook-target/webhook-target.connector';
import { webhookTargetConfig } from './webhook-target/webhook-target.config';

/** Every connector kind, listed explicitly: no registration by import side effect. */
export const connectorDefinitions: readonly ConnectorDefinition[] = [restApiConnector, webhookTarget] as readonly ConnectorDefinition[];

/** The root config's `connectors:` entries: a discriminated union over `kind`, one member per definition. */
export const connectorConfigSchema = z.discriminatedUnion('kind', [restApiConfig, webhookTargetConfig]);
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;

/** Document formats intake can read, whatever connector brought the bytes. */
export const formatParsers: readonly FormatParser[] = [];
