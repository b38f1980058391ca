import type { FormatParser, ParseContext, ParseResult } from '../connector';
import { decodeBody, readHead, syntaxIdentifierOf } from './edifact.charset';
import { readEnvelope, summariseEnvelope, type EdifactEnvelopeSummary } from './edifact.envelope';
import { documentIssue, SYNTAX_ERROR, type EdifactIssue } from './edifact.issue';
import { edifactMappingSchema, type EdifactMapping } from './edifact.mapping';
import { readServiceString } from './edifact.service-string';
import { tokenize } from './edifact.tokenizer';
import { readOrdersMessage, type EdifactParsedOrder } from './edifact-orders.mapper';

/**
 * The parse result with the EDIFACT detail an acknowledgement needs: every issue's location and
 * 0085 code, and the envelope's identity (syntax, parties, groups, messages). Still a ParseResult,
 * so the pipeline treats it like any other format's.
 */
export interface EdifactParseResult extends ParseResult {
  readonly issues: readonly EdifactIssue[];
  readonly orders: readonly EdifactParsedOrder[];
  /** Absent when not even UNB could be read; then no CONTRL can be addressed. */
  readonly envelope?: EdifactEnvelopeSummary;
}

/** How far into the body sniffing looks for the first segment past a BOM and blank lines. */
const SNIFF_BYTES = 4096;
const BOM = [0xef, 0xbb, 0xbf] as const;
const WHITE_SPACE: ReadonlySet<number> = new Set([0x20, 0x09, 0x0d, 0x0a]);

/** Length of a UTF-8 BOM if there is one, and how many bytes of white space follow it (up to `limit`). */
function contentStart(body: Buffer, limit = body.length): { bom: number; at: number } {
  const bom = body[0] === BOM[0] && body[1] === BOM[1] && body[2] === BOM[2] ? BOM.length : 0;
  let at = bom;
  while (at < Math.min(body.length, limit) && WHITE_SPACE.has(body[at]!)) at++;
  return { bom, at: at - bom };
}

/** A FormatParser whose results keep the EDIFACT detail (see {@link EdifactParseResult}). */
export interface EdifactOrdersParser extends FormatParser {
  parse(body: Buffer, context: ParseContext): Promise<EdifactParseResult>;
}

/** UN/EDIFACT ORDERS (D.96A, D.01B; more through the mapping's `versions`) into canonical drafts. */
export const edifactOrdersParser: EdifactOrdersParser = {
  format: 'edifact-orders',

  sniff(body: Buffer): boolean {
    const { bom, at } = contentStart(body, SNIFF_BYTES);
    return /^UN[AB][^A-Za-z0-9]$/.test(body.toString('latin1', bom + at, bom + at + 4));
  },

  async parse(body: Buffer, context: ParseContext): Promise<EdifactParseResult> {
    const mapping = edifactMappingSchema.safeParse(context.mapping);
    if (!mapping.success) {
      return failed(
        'mapping.invalid',
        mapping.error.issues.map((i) => documentIssue(['mapping', ...i.path.map(String)].join('.'), 'mapping.invalid', SYNTAX_ERROR.unspecified, i.message)),
      );
    }
    return parseEdifactOrders(body, mapping.data);
  },
};

/**
 * Reading in order of cost: the size cap before anything, then the service string and syntax
 * identifier from the first bytes, then one decoding and one tokenizing pass (bounded by
 * `maxSegments`), the envelope, and each message. Every step either goes on or says why not.
 */
export function parseEdifactOrders(body: Buffer, mapping: EdifactMapping): EdifactParseResult {
  const { maxBytes, maxSegments } = mapping.limits;
  if (body.length > maxBytes) {
    return failed('document.too_large', [documentIssue('body', 'document.too_large', SYNTAX_ERROR.unspecified, `${body.length} bytes is more than the ${maxBytes} this partner's mapping allows`)]);
  }
  const { bom, at } = contentStart(body);
  const head = readHead(body, bom, at);
  const service = readServiceString(head, at);
  if (!service.ok) return failed(service.issue.code ?? 'edifact.syntax', [service.issue]);

  const decoded = decodeBody(body, bom, syntaxIdentifierOf(head, service.chars, service.start));
  const tokens = tokenize(decoded.text, service.start, service.chars, { maxSegments });
  const reading = readEnvelope(tokens.segments, tokens.issue === undefined);
  const envelope = reading.envelope && summariseEnvelope(reading.envelope);
  const interchange = envelope && {
    sender: partyId(envelope.sender),
    receiver: partyId(envelope.recipient),
    controlNumber: envelope.controlNumber,
  };

  const issues = [decoded.issue, tokens.issue, ...reading.issues].filter((i): i is EdifactIssue => i !== undefined);
  if (issues.length > 0) {
    const code = tokens.tooMany ? 'document.too_large' : (issues[0]!.code ?? 'edifact.envelope');
    return { ok: false, code, issues, orders: [], interchange, envelope };
  }
  const orders = reading.envelope!.messages.map((m) => readOrdersMessage(m, mapping));
  return { ok: true, issues: [], orders, interchange, envelope };
}

/** S002/S003 as the hub names a party: `qualifier:id` when a code qualifier is given (`14:5412345000176`). */
export function partyId(components: readonly string[]): string {
  const [id = '', qualifier = ''] = components;
  return qualifier === '' ? id : `${qualifier}:${id}`;
}

function failed(code: string, issues: EdifactIssue[]): EdifactParseResult {
  return { ok: false, code, issues, orders: [] };
}
