import type { Logger } from 'pino';
import type { z } from 'zod';
import type { OrderEventName } from '../core/lifecycle/order-events';
import type { CanonicalOrder, Issue, OrderDraftInput } from '../core/order/order.types';
import type { ErrorDetail } from '../core/errors/hub-error';
import type { PartnerEvent } from '../core/lifecycle/partner-events';
import type { Delivery } from '../core/store/store.port';

/**
 * A kind of outside system, as named by `kind:` in hub.yaml. One per folder under connectors/.
 * The registry (registry.ts) lists them explicitly; the config schema's discriminated union is
 * built from that list.
 */
export interface ConnectorDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Stable forever, kebab-case: 'rest-api', 'webhook-target'. */
  readonly kind: string;
  /** One line; goes into config/reference.md. */
  readonly summary: string;
  /** Config schema; every field carries .meta({ description }); secret fields are built with secret(). */
  readonly config: S;
  create(config: z.output<S>, deps: ConnectorDeps): Connector;
}

export interface ConnectorDeps {
  /** pino child bound to { connectorId }. */
  readonly log: Logger;
}

export interface Connector {
  readonly id: string;
  readonly kind: string;
  /** Partner posts back (tracking, signature done, ERP acknowledgement) at POST /api/v1/hooks/:connectorId. */
  readonly callbacks?: CallbackHandler;
  /** Inbound side: turns a body received for this connector into an order draft. */
  readonly mapper?: InboundMapper;
  /** Outbound side: one attempt per call; the pipeline owns retries, back-off and dead letters. */
  readonly target?: Target;
  /**
   * Orders pushed by the partner at POST /api/v1/hooks/:connectorId (shop platform webhooks): the
   * connector verifies, keeps the raw bytes and hands each order to intake itself.
   */
  readonly webhookIntake?: WebhookIntake;
  /**
   * Opens connections and runs push loops (IMAP IDLE) that write through the raw sink; resolves
   * once ready. Restoring a dead connection is the connector's job. Run by the scheduler role only,
   * so one process reads a source.
   */
  start?(signal: AbortSignal): Promise<void>;
  /** Finishes in-flight work, then releases connections. Idempotent. */
  stop?(): Promise<void>;
}

/** Maps a partner's JSON body to the canonical draft shape (validated by intake afterwards). */
export interface InboundMapper {
  /** Which raw-message format this connector's bodies are stored under. */
  readonly format: string;
  map(body: unknown): Promise<OrderDraftInput>;
  /**
   * For sources that send the same order again as it changes (shop platforms): which source order
   * this body is a version of. Every version becomes the one hub order of that key.
   */
  identify?(body: unknown): SourceOrderIdentity | Promise<SourceOrderIdentity>;
}

export interface SourceOrderIdentity {
  /** Unique within the connector: '<platform>:<platform order id>'. */
  readonly key: string;
  /** The source cancelled the order: a hub order of that key is cancelled, none is created. */
  readonly cancelled: boolean;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface WebhookIntake {
  /**
   * Verifies the raw bytes, keeps them, and stores each order they carry for intake.
   * @throws SignatureError (→ 401) or ValidationError (→ 422); the delivery is kept quarantined
   */
  receive(request: CallbackRequest): Promise<WebhookAnswer>;
}

export interface DeliveryRequest {
  readonly delivery: Delivery;
  readonly event: OrderEventName;
  readonly order: CanonicalOrder;
}

export interface DeliveryOutcome {
  /** The partner's own id for what we created (ERP order number, waybill, signing flow). */
  readonly partnerRef?: string;
  /** A carrier's answer: the waybill it opened for the order. */
  readonly shipment?: { readonly carrier: string; readonly trackingNumber: string };
  readonly status?: number;
  /** The partner's answer, truncated, kept on the delivery record. */
  readonly responseBody?: string;
}

export interface Target {
  /**
   * One attempt. delivery.idempotencyKey = `${orderId}:${event}:${target}` goes to the partner.
   * @throws TransientPartnerError to retry (may carry retryAfterMs)
   * @throws PermanentPartnerError to dead-letter at once
   */
  deliver(request: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome>;
}

// ── Business documents: formats independent of how they arrived ────────────────────────────────

/** A document the hub writes: an acknowledgement, an order response, a ship notice, an invoice. */
export interface OutboundDocument {
  /** 'x12-997', 'x12-855', 'edifact-contrl', 'idoc-orders05' … */
  readonly format: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** One order inside a document (an X12 ST/SE set, an EDIFACT UNH/UNT message, one XML order). */
export interface ParsedOrder {
  /** Where it sits in the input, for messages and acknowledgements: 'ST02=0001', 'UNH=1', '/cXML/Request'. */
  readonly ref: string;
  /** Absent when `issues` made the order unreadable; that order alone is rejected. */
  readonly draft?: OrderDraftInput;
  /** Each naming the segment/element or XPath. */
  readonly issues: readonly ErrorDetail[];
  /**
   * Values the parser read but is not sure of (OCR: a low-confidence field, totals that disagree):
   * intake raises each as a warning naming its field, so the order waits for a reviewer.
   */
  readonly doubts?: readonly Omit<Issue, 'severity'>[];
  /** How sure the parser is of the whole order, 0–1, for sources that read rather than parse (OCR). */
  readonly confidence?: number;
}

/**
 * A part of a document that is read as a document of its own (a scanned contract attached to a
 * mail): intake keeps it as its own raw message, so it is read, quarantined and replayed by itself.
 */
export interface HandOff {
  /** Its place in the document, from 1; with the document's id it keys the part's raw message (`<Message-ID>#<n>`). */
  readonly n: number;
  /** Which parser reads it. */
  readonly format: string;
  readonly fileName?: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** The document's own id for itself (a mail's Message-ID), when it has one. */
  readonly parentExternalId?: string;
  /** Facts kept with the part: the mail it came in. */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Who the orders read from it belong to (the salesperson who forwarded the mail). */
  readonly owner?: OrderDraftInput['owner'];
}

export interface ParseResult {
  /** false when the input as a whole cannot be read (broken envelope, XML bomb): nothing is taken. */
  readonly ok: boolean;
  /** Reason code when !ok: 'x12.envelope', 'xml.doctype_forbidden', 'document.too_large' … */
  readonly code?: string;
  /** Input-level problems (envelope, counts), each naming the segment/element or XPath. */
  readonly issues: readonly ErrorDetail[];
  readonly orders: readonly ParsedOrder[];
  /** Interchange identity for duplicate detection: (sender, receiver, control number). */
  readonly interchange?: { readonly sender: string; readonly receiver: string; readonly controlNumber: string };
  /** Parts read on their own (scans attached to a mail); intake keeps each as a raw message of its format. */
  readonly handOffs?: readonly HandOff[];
  /**
   * What the parser saw, kept for reviewers beside the input once its orders exist (OCR: the page
   * images and the recognised fields with their boxes); see {@link readingKey}.
   */
  readonly reading?: OutboundDocument;
}

/** The key a raw message's reading is kept under (DocumentArchive), per connector: `reading:<raw message id>`. */
export function readingKey(rawMessageId: string): string {
  return `reading:${rawMessageId}`;
}

/** What a parser may ask of the hub while parsing: nothing else, no I/O. */
export interface ParseContext {
  /** Per-partner overrides from YAML (qualifiers, which REF is the PO, column names …); validated by the parser. */
  readonly mapping: Readonly<Record<string, unknown>>;
  /** The name the input came under (upload, attachment, dropped file), when known. */
  readonly fileName?: string;
  readonly contentType?: string;
  /** For a long parse (OCR, page by page): reports how far it got, for GET /api/v1/documents/:id. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A document format, independent of how it arrived (IMAP attachment, SFTP, upload). */
export interface FormatParser {
  /** 'x12-850', 'edifact-orders', 'cxml-order', 'ubl-order', 'idoc-orders05', 'spreadsheet-order'. */
  readonly format: string;
  /** Cheap look at the first bytes (and the file name) to say whether this parser reads it. */
  sniff(body: Buffer, fileName?: string): boolean;
  parse(body: Buffer, context: ParseContext): Promise<ParseResult>;
}

// ── Partner callbacks ───────────────────────────────────────────────────────────────────────────

export interface CallbackRequest {
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Exactly the bytes received: signatures are computed over them, never over re-serialised JSON. */
  readonly rawBody: Buffer;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Epoch ms, for timestamp tolerance. */
  readonly receivedAt: number;
}

export type { PartnerEvent } from '../core/lifecycle/partner-events';

export interface CallbackHandler {
  /**
   * Checks the partner's signature over the raw body and the timestamp tolerance.
   * @throws SignatureError (→ 401, nothing stored beyond the raw message, no state change)
   */
  verify(request: CallbackRequest): void;
  /** Reads a verified body. @throws ValidationError naming the field (→ 400) */
  parse(request: CallbackRequest): PartnerEvent[];
  /** What the partner expects as a 2xx body (some want {"code":0}, some "success"). */
  readonly acknowledgement?: { readonly contentType: string; readonly body: string };
}
