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
import { createDisabledContractScanParser } from './ocr/scan-format';
import { imapConnector } from './imap/imap.connector';
import { jdConnector } from './jd/jd.connector';
import { jdConfig } from './jd/jd.config';
import { imapConfig } from './imap/imap.config';
import { folderConfig } from './folder/folder.config';
import { restApiConnector } from './rest-api/rest-api.connector';
import { restApiConfig } from './rest-api/rest-api.config';
import { restPoller } from './rest-poller/rest-poller.connector';
import { restPollerConfig } from './rest-poller/rest-poller.config';
import { sftpConnector } from './sftp/sftp.connector';
import { sftpConfig } from './sftp/sftp.config';
import { shopify } from './shopify/shopify.connector';
import { shopifyConfig } from './shopify/shopify.config';
import { spreadsheetOrderParser } from './spreadsheet/spreadsheet-order.parser';
import { taobaoConnector } from './taobao/taobao.connector';
import { taobaoConfig } from './taobao/taobao.config';
import { ublOrderParser } from './ubl/ubl-order.parser';
import { webhookTarget } from './webhook-target/webhook-target.connector';
import { webhookTargetConfig } from './webhook-target/webhook-target.config';
import { wooCommerce } from './woocommerce/woocommerce.connector';
import { wooCommerceConfig } from './woocommerce/woocommerce.config';
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
  taobaoConnector,
  jdConnector,
  restPoller,
  shopify,
  wooCommerce,
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
  // Shop platforms take order.shipped: the tracking number goes back to the platform.
  'taobao',
  'jd',
  'rest-poller',
  'shopify',
  'woocommerce',
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
  taobaoConfig,
  jdConfig,
  restPollerConfig,
  shopifyConfig,
  wooCommerceConfig,
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

/**
 * Every format intake reads. Mail comes first: its attachments are read with the document parsers,
 * and its scans are handed off. Scanned contracts need the hub's one OCR engine, so pipelines/
 * builds their parser and passes it in; it is sniffed by magic bytes, before the spreadsheet
 * parser's loose guess.
 */
export function createFormatParsers(contractScan: FormatParser): readonly FormatParser[] {
  const loosest = documentParsers.at(-1)!;
  return [createEmailOrderParser(documentParsers), ...documentParsers.slice(0, -1), contractScan, loosest];
}

/** The formats with OCR off: scans are recognised, kept and quarantined as ocr.disabled. */
export const formatParsers: readonly FormatParser[] = createFormatParsers(createDisabledContractScanParser());

/** The `ocr:` section of hub.yaml; here so config/ reaches every connector schema through this file. */
export { ocrConfig } from './ocr/ocr.config';
