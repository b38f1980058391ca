import { extname } from 'node:path';
import type { Attachment } from 'mailparser';
import type { ErrorDetail } from '../../core/errors/hub-error';
import type { FormatParser, ParsedOrder } from '../connector';
import type { EmailTemplate } from './email.mapping';
import { readSheetAttachment, type DocumentRead, type SheetOrderFacts } from './sheet-attachment';

/**
 * Attachments are where most orders are: a sheet, an EDI or XML document, or a scan. Sheets and
 * documents go to the format parser that claims them (the spreadsheet parser with the customer's
 * template); scans and PDFs are handed off, each to be kept and read by OCR on its own.
 */

export const SPREADSHEET_FORMAT = 'spreadsheet-order';

/** Images and PDFs: orders in them are read by OCR (connectors/ocr), each as a raw message of its own. */
const OCR_TYPES = /^(image\/|application\/pdf$)/;
const OCR_EXTENSIONS = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.gif', '.bmp', '.tif', '.tiff', '.heic', '.webp']);
/** Old Excel workbooks no parser sniffs; the spreadsheet parser names them for what they are. */
const LEGACY_EXCEL = /\.xls$|^application\/vnd\.ms-excel$/i;
/**
 * Inline images below this size are signature logos and banners, not photographed orders: phone
 * photos and scans run from hundreds of KB to MBs, logos are a few KB to a few tens of KB.
 */
const MAX_DECORATION_BYTES = 64 * 1024;

export interface AttachmentOrders {
  readonly orders: readonly { readonly order: ParsedOrder; readonly format: string }[];
  /** What the documents said beside their orders (a sheet row that belongs to no order …), by attachment. */
  readonly issues: readonly ErrorDetail[];
  /** Scans and PDFs, to be read by OCR on their own. */
  readonly scans: readonly Scan[];
  /** Attachments of no format the hub reads (a .docx, a .zip), by name, for the no-order message. */
  readonly ignored: readonly string[];
  /** An order document that could not be read: the whole mail waits, so that no order is taken half. */
  readonly failure?: { readonly code: string; readonly issues: readonly ErrorDetail[] };
}

/** An image or PDF attachment, with its place among the mail's attachments (from 1). */
export interface Scan {
  readonly n: number;
  readonly fileName: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export async function readAttachments(
  attachments: readonly Attachment[],
  parsers: readonly FormatParser[],
  template: EmailTemplate,
  facts: SheetOrderFacts,
): Promise<AttachmentOrders> {
  const orders: { order: ParsedOrder; format: string }[] = [];
  const issues: ErrorDetail[] = [];
  const scans: Scan[] = [];
  const ignored: string[] = [];
  for (const [i, attachment] of attachments.entries()) {
    const name = attachment.filename ?? `attachment ${i + 1}`;
    const path = `attachment "${name}"`;
    if (isDecoration(attachment)) continue;
    if (needsOcrOf(attachment)) {
      scans.push({ n: i + 1, fileName: name, contentType: attachment.contentType, body: attachment.content });
      continue;
    }
    const parser = parserFor(attachment, parsers);
    if (!parser) {
      ignored.push(name);
      continue;
    }
    const within = (issue: ErrorDetail): ErrorDetail => ({ ...issue, path: `${path} ${issue.path}`.trim() });
    const read = parser.format === SPREADSHEET_FORMAT ? await readSheetAttachment(attachment.content, parser, template, facts) : await readDocument(attachment.content, parser, template);
    if (!read.ok) return { orders, issues, scans, ignored, failure: { code: read.code, issues: read.issues.map(within) } };
    issues.push(...read.issues.map(within));
    for (const order of read.orders) orders.push({ format: parser.format, order: { ...order, ref: `${path} ${order.ref}`, issues: order.issues.map(within) } });
  }
  return { orders, issues, scans, ignored };
}

async function readDocument(body: Buffer, parser: FormatParser, template: EmailTemplate): Promise<DocumentRead> {
  const result = await parser.parse(body, { mapping: template.documents[parser.format] ?? {} });
  return result.ok ? { ok: true, orders: result.orders, issues: result.issues } : { ok: false, code: result.code ?? `${parser.format}.unreadable`, issues: result.issues };
}

function parserFor(attachment: Attachment, parsers: readonly FormatParser[]): FormatParser | undefined {
  const name = attachment.filename;
  if (LEGACY_EXCEL.test(name ?? '') || LEGACY_EXCEL.test(attachment.contentType)) return parsers.find((p) => p.format === SPREADSHEET_FORMAT);
  return parsers.find((p) => p.sniff(attachment.content, name));
}

function isDecoration(attachment: Attachment): boolean {
  const inline = attachment.related === true || attachment.contentDisposition === 'inline';
  return inline && attachment.contentType.startsWith('image/') && attachment.size < MAX_DECORATION_BYTES;
}

function needsOcrOf(attachment: Attachment): boolean {
  return OCR_TYPES.test(attachment.contentType) || OCR_EXTENSIONS.has(extname(attachment.filename ?? '').toLowerCase());
}
