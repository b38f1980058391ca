import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import type { ErrorDetail } from '../../core/errors/hub-error';
import type { FormatParser, HandOff, ParseContext, ParseResult } from '../connector';
import { CONTRACT_SCAN_FORMAT } from '../ocr/scan-format';
import { formatPath } from '../rest-api/zod-details';
import { spreadsheetOrderParser } from '../spreadsheet/spreadsheet-order.parser';
import { x12OrderParser } from '../x12/x12-850.parser';
import { emailMappingSchema, templateFor, type EmailMapping } from './email.mapping';
import { readAttachments, type Scan } from './email-attachments';
import { draftCustomer, draftOwner } from './email-customer';
import { attachmentOrder, bodyOrder } from './email-draft';
import { unwrapForwards, type MailParty } from './forwarded-email';
import { readHtml } from './html-body';
import { orderFields, readBody } from './mail-body';
import { checkMime } from './mime-structure';

/**
 * Order mails as RFC 822 bytes, however they arrived (the IMAP connector stores each one as a raw
 * message of format `email`). mailparser decodes them (GBK, GB2312, GB18030, Big5, UTF-8;
 * quoted-printable, base64; RFC 2047 headers); forwarded chains are unwrapped so the original
 * sender is the customer and the salesperson who forwarded it the owner; the order is read from
 * the attachments, else from a table in the body, else from labelled fields in the body. Scanned
 * and PDF attachments are handed off: intake keeps each as a raw message of format
 * `contract-scan` (externalId `<Message-ID>#<n>`), read by OCR on its own.
 */

/**
 * What the hub never uses: cid links, HTML versions of text parts, attachment checksums, and the
 * text version of an HTML body, which html-body.ts makes itself in the same pass that reads the
 * tables (and for HTML inside multipart/related too, where mailparser makes none). Skipping them
 * halves mailparser's time on a typical order mail.
 */
const PARSER_OPTIONS: SimpleParserOptions = { keepCidLinks: true, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, skipHtmlToText: true, checksumAlgo: false };
/** Header fields that only mail carries; a sniffed text needs one of them besides its header shape. */
const MAIL_FIELDS = /^(from|received|return-path|message-id|mime-version|delivered-to|x-mailer|dkim-signature)$/i;
/** How far sniff reads: the header block of any ordinary mail starts within it. */
const SNIFF_BYTES = 8192;

/** Builds the email parser; `parsers` read the attachments, sniffed in their order (list the loosest last). */
export function createEmailOrderParser(parsers: readonly FormatParser[]): FormatParser {
  return {
    format: 'email',

    sniff(body: Buffer, fileName?: string): boolean {
      if (fileName?.toLowerCase().endsWith('.eml')) return true;
      const names: string[] = [];
      for (const line of body.subarray(0, SNIFF_BYTES).toString('latin1').split(/\r?\n/)) {
        if (line === '') break;
        if (/^[ \t]/.test(line) && names.length > 0) continue;
        const field = /^([!-9;-~]+):/.exec(line);
        if (!field) return false;
        names.push(field[1]!);
      }
      return names.length >= 2 && names.some((name) => MAIL_FIELDS.test(name));
    },

    async parse(body: Buffer, context: ParseContext): Promise<ParseResult> {
      const mapping = validMapping(context.mapping);
      if ('invalid' in mapping) return failed('email.mapping_invalid', mapping.invalid);
      if (body.length > mapping.maxBytes) return failed('document.too_large', [{ path: '', message: `${body.length} bytes is over the ${mapping.maxBytes}-byte limit`, code: 'document.too_large' }]);
      const mime = checkMime(body);
      if (mime.malformed) return failed('email.malformed', [mime.malformed]);
      if (mime.unknownCharsets.length > 0) return failed('email.unknown_charset', mime.unknownCharsets);
      const mail = await simpleParser(body, PARSER_OPTIONS);

      const html = mail.html ? readHtml(mail.html) : undefined;
      const unwrapped = unwrapForwards(mail.text || html?.text || '', senderOf(mail));
      const template = templateFor(mapping, unwrapped.customer.email);
      const forwarded = unwrapped.blocks.length > 0;
      const sections = unwrapped.sections.map((text, i) => ({ label: i === 0 ? (forwarded ? 'forwarded message' : 'body') : `quoted message ${i}`, text }));
      const subjects = [...unwrapped.blocks.map((block) => block.subject).reverse(), mail.subject].filter((subject): subject is string => subject !== undefined);
      const facts = readBody({ sections, tables: html?.tables ?? [], subjects }, template);
      const customer = draftCustomer(unwrapped.customer, template, facts.identity, sections[0]?.text ?? '');
      if (customer.name === undefined) return failed('email.no_sender', [{ path: 'headers.from', message: 'the mail names no sender, so the order has no customer', code: 'email.no_sender' }]);
      const owner = draftOwner(unwrapped.owner);
      const parties = { customer, ...(owner ? { owner } : {}) };
      const fields = orderFields(facts.fields, template);
      const currency = fields.values.currency ?? template.currency ?? mapping.defaultCurrency;

      const attached = await readAttachments(mail.attachments, parsers, template, { customerName: customer.name, currency });
      if (attached.failure) return failed(attached.failure.code, attached.failure.issues);
      const handOffs = attached.scans.map((scan) => handOff(scan, mail, owner));
      const scans = handOffs.length > 0 ? { handOffs } : {};
      if (attached.orders.length > 0) {
        return { ok: true, issues: attached.issues, orders: attached.orders.map(({ order, format }) => attachmentOrder(order, format, fields, parties)), ...scans };
      }
      // The scan is the order: order fields in the text beside it are its cover note, not a second order.
      if (handOffs.length > 0) return { ok: true, issues: [], orders: [], handOffs };
      if (facts.items.length === 0) {
        const unread = attached.ignored.length > 0 ? `; attachments of no format the hub reads: ${attached.ignored.join(', ')}` : '';
        return failed('email.no_order', [{ path: '', message: `no order sheet or document attached, and no order table or item lines in the text${unread}`, code: 'email.no_order' }]);
      }
      return { ok: true, issues: [], orders: [bodyOrder(facts.items, fields, parties, currency, template)] };
    },
  };
}

/** Reads the attachments the hub has parsers for today: X12 850 and order sheets (the loosest guess, so last). */
export const emailOrderParser: FormatParser = createEmailOrderParser([x12OrderParser, spreadsheetOrderParser]);

/**
 * A mailbox's mapping is one object from config, handed in with every mail; validating it once
 * per object rather than once per mail takes a measurable share off parsing a small mail.
 */
const validated = new WeakMap<object, EmailMapping | { invalid: ErrorDetail[] }>();

function validMapping(input: ParseContext['mapping']): EmailMapping | { invalid: ErrorDetail[] } {
  let known = validated.get(input);
  if (known === undefined) {
    const parsed = emailMappingSchema.safeParse(input);
    known = parsed.success ? parsed.data : { invalid: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path, 'mapping'), message: issue.message, code: 'email.mapping_invalid' })) };
    validated.set(input, known);
  }
  return known;
}

/** A scan to be read by OCR, naming the mail it came in and owned by whoever forwarded that mail. */
function handOff(scan: Scan, mail: ParsedMail, owner: HandOff['owner']): HandOff {
  const from = mail.from?.value[0]?.address;
  const about = { ...(mail.messageId ? { messageId: mail.messageId } : {}), ...(from ? { from } : {}), ...(mail.subject ? { subject: mail.subject } : {}) };
  return {
    n: scan.n,
    format: CONTRACT_SCAN_FORMAT,
    fileName: scan.fileName,
    contentType: scan.contentType,
    body: scan.body,
    ...(mail.messageId ? { parentExternalId: mail.messageId } : {}),
    meta: { mail: about },
    ...(owner ? { owner } : {}),
  };
}

function senderOf(mail: ParsedMail): MailParty {
  const from = mail.from?.value[0];
  const name = from?.name.trim();
  const email = from?.address?.toLowerCase();
  return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

function failed(code: string, issues: readonly ErrorDetail[]): ParseResult {
  return { ok: false, code, issues, orders: [] };
}
