import { z } from 'zod';
import type { ConnectorDefinition, FormatParser } from './connector';
import { erpKingdee } from './erp-kingdee/kingdee.connector';
import { kingdeeConfig } from './erp-kingdee/kingdee.config';
import { erpOdoo } from './erp-odoo/odoo.connector';
import { odooConfig } from './erp-odoo/odoo.config';
import { erpRest } from './erp-rest/erp-rest.connector';
import { erpRestConfig } from './erp-rest/erp-rest.config';
import { erpSap } from './erp-sap/sap.connector';
import { sapConfig } from './erp-sap/sap.config';
import { erpU8 } from './erp-u8/u8.connector';
import { u8Config } from './erp-u8/u8.config';
import { restApiConnector } from './rest-api/rest-api.connector';
import { restApiConfig } from './rest-api/rest-api.config';
import { webhookTarget } from './webhook-target/webhook-target.connector';
import { webhookTargetConfig } from './webhook-target/webhook-target.config';

/** Every connector kind, listed explicitly: no registration by import side effect. */
export const connectorDefinitions: readonly ConnectorDefinition[] = [
  restApiConnector,
  webhookTarget,
  erpRest,
  erpSap,
  erpKingdee,
  erpU8,
  erpOdoo,
] as readonly ConnectorDefinition[];

/** Kinds that receive deliveries, so `routes:` may name them. */
export const TARGET_KINDS: ReadonlySet<string> = new Set(['webhook-target', 'erp-rest', 'erp-sap', 'erp-kingdee', 'erp-u8', 'erp-odoo']);

/** The root config's `connectors:` entries: a discriminated union over `kind`, one member per definition. */
export const connectorConfigSchema = z.discriminatedUnion('kind', [restApiConfig, webhookTargetConfig, erpRestConfig, sapConfig, kingdeeConfig, u8Config, odooConfig]);
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;

/** Document formats intake can read, whatever connector brought the bytes. */
export const formatParsers: readonly FormatParser[] = [];
