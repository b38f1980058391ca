/** UN/EDIFACT in and out: what the registry and the pipelines use of this folder (see README.md). */
export { edifactOrdersParser, parseEdifactOrders, partyId, type EdifactParseResult } from './edifact-orders.parser';
export type { EdifactParsedOrder } from './edifact-orders.mapper';
export { edifactMappingSchema, type EdifactMapping, type EdifactMappingInput } from './edifact.mapping';
export type { EdifactIssue, EdifactLocation, SyntaxErrorCode } from './edifact.issue';
export type { EdifactEnvelopeSummary, EdifactMessageSummary, EdifactGroup } from './edifact.envelope';
export type { ControlNumbers, EdifactOutboundOptions } from './edifact.writer';
export type { OutboundOrder } from './edifact-document.segments';
export { generateContrl, type ContrlOptions } from './edifact-contrl.generator';
export { generateOrders } from './edifact-orders.generator';
export { generateOrdrsp, type OrdrspOptions } from './edifact-ordrsp.generator';
export { generateDesadv, type DesadvOptions, type DesadvShipment } from './edifact-desadv.generator';
export { generateInvoic, type InvoicOptions } from './edifact-invoic.generator';
