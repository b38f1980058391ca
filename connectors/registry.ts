import { z } from 'zod';
import type { ConnectorDefinition, FormatParser } from './connector';
import { carrierKuaidi100 } from './carrier-kuaidi100/carrier-kuaidi100.connector';
import { carrierKuaidi100Config } from './carrier-kuaidi100/carrier-kuaidi100.config';
import { carrierRest } from './carrier-rest/carrier-rest.connector';
import { carrierRestConfig } from './carrier-rest/carrier-rest.config';
import { cxmlOrderParser } from './cxml/cxml-order.parser';
import { edifactOrdersParser } from './edifact/edifact-orders.parser';
import { createEmailOrderParser } from './email/email-order.parser';
import { erpKingdee } from './erp-kingdee/kingdee.connector';
import { kingdeeConfig } from './erp-kingdee/kingdee.config';
import { erpOdoo } from './erp-odoo/odoo.connector';
import { odooConfig } from './erp-odoo/odoo.config';
import { erpRest } from './erp-rest/erp-rest.connector';
import { erpRestConfig } from './erp-rest/erp-rest.config';
import { erpSap } from './erp-sap/sap.connector';
import { sapConfig } from './erp-sap/sap.config';
import { esignFadada } from './esign-fadada/esign-fadada.connector';
import { esignFadadaConfig } from './esign-fadada/esign-fadada.config';
import { esignTsign } from './esign-tsign/esign-tsign.connector';
import { esignTsignConfig } from './esign-tsign/esign-tsign.config';
import { erpU8 } from './erp-u8/u8.connector';
import { u8Config } from './erp-u8/u8.config';
import { folderConnector } from './folder/folder.connector';
import { idocOrders05Parser } from './idoc/idoc-orders05.parser';
import { imapConnector } from './imap/imap.connector';
import { imapConfig } from './imap/imap.config';
import { folderConfig } from './folder/folder.config';
import { restApiConnector } from './rest-api/rest-api.connector';
import { restApiConfig } from './rest-api/rest-api.config';
import { sftpConnector } from './sftp/sftp.connector';
import { sftpConfig } from './sftp/sftp.config';
import { spreadsheetOrderParser } from './spreadsheet/spreadsheet-order.parser';
import { ublOrderParser } from './ubl/ubl-order.parser';
import { webhookTarget } from './webhook-target/webhook-target.connector';
import { webhookTargetConfig } from './webhook-target/webhook-target.config';
import { wmsRest } from './wms-rest/wms-rest.connector';
import { wmsRestConfig } from './wms-rest/wms-rest.config';
import { x12OrderParser } from './x12/x12-850.parser';

/** Every connector kind, listed explicitly: no registration by import side effect. */
export const connectorDefinitions: readonly ConnectorDefinition[] = [
  restApiConnector,
  webhookTarget,
  erpRest,
  erpSap,
  erpKingdee,
  erpU8,
  erpOdoo,
  wmsRest,
  carrierRest,
  carrierKuaidi100,
  esignTsign,
  esignFadada,
  folderConnector,
  sftpConnector,
  imapConnector,
] as unknown as readonly ConnectorDefinition[];

/** Kinds that receive deliveries, so `routes:` may name them. */
export const TARGET_KINDS: ReadonlySet<string> = new Set([
  'webhook-target',
  'erp-rest',
  'erp-sap',
  'erp-kingdee',
  'erp-u8',
  'erp-odoo',
  'wms-rest',
  'carrier-rest',
  'carrier-kuaidi100',
  'esign-tsign',
  'esign-fadada',
  // File drops write a document per routed event when their config has `documents`.
  'folder',
  'sftp',
]);

/** The root config's `connectors:` entries: a discriminated union over `kind`, one member per definition. */
export const connectorConfigSchema = z.discriminatedUnion('kind', [
  restApiConfig,
  webhookTargetConfig,
  erpRestConfig,
  sapConfig,
  kingdeeConfig,
  u8Config,
  odooConfig,
  wmsRestConfig,
  carrierRestConfig,
  carrierKuaidi100Config,
  esignTsignConfig,
  esignFadadaConfig,
  folderConfig,
  sftpConfig,
  imapConfig,
]);
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;

/**
 * Document formats intake can read, whatever connector brought the bytes. Sniffed in this order:
 * the spreadsheet parser's guess is the loosest, so it stays last.
 */
const documentParsers: readonly FormatParser[] = [
  x12OrderParser,
  edifactOrdersParser,
  cxmlOrderParser,
  ublOrderParser,
  idocOrders05Parser,
  spreadsheetOrderParser,
];

/** Mail comes first: its attachments are read with the document parsers. */
export const formatParsers: readonly FormatParser[] = [createEmailOrderParser(documentParsers), ...documentParsers];
