import libmime from 'libmime';
import type { ErrorDetail } from '../../core/errors/hub-error';

/**
 * mailparser never refuses a message: a multipart body whose boundary never comes, or a mail cut
 * off mid-attachment, parses into "no text, no attachments" and would be reported as a mail without
 * an order. That hides the real reason, so the structure is checked here first, on the raw bytes.
 * It also collects the charsets the readable text is declared in, because mailparser decodes an
 * unknown charset as UTF-8 without a word, which would turn a customer's name into mojibake.
 */

export interface MimeCheck {
  /** Set when the structure is broken: nothing in the mail can be trusted to be complete. */
  readonly malformed?: ErrorDetail;
  /** One per declared charset that cannot be decoded, naming where it was declared. */
  readonly unknownCharsets: readonly ErrorDetail[];
}

/** Deeper nesting than any mail client produces; guards the recursion against a crafted message. */
const MAX_DEPTH = 30;
/** RFC 5322 field name: printable ASCII except the colon. */
const HEADER_FIELD = /^[!-9;-~]+:/;
/** An RFC 2047 encoded word's charset, without an RFC 2231 language tag. */
const ENCODED_WORD = /=\?([^?*\s]+)(?:\*[^?\s]*)?\?[bq]\?/gi;

interface Entity {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly path: string;
  readonly depth: number;
}

/** Checks the MIME tree of a raw message; `body` is read as Latin-1 so offsets are byte offsets. */
export function checkMime(body: Buffer): MimeCheck {
  const text = body.toString('latin1');
  const charsets: { charset: string; path: string }[] = [];
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let malformed: ErrorDetail | undefined = HEADER_FIELD.test(firstLine) ? undefined : { path: 'headers', message: 'the mail does not start with a header field', code: 'email.malformed' };
  if (!malformed) {
    const headerEnd = blankLine(text, 0, text.length)?.start ?? text.length;
    for (const match of text.slice(0, headerEnd).matchAll(ENCODED_WORD)) charsets.push({ charset: match[1]!, path: 'headers' });
    malformed = checkEntity({ text, start: 0, end: text.length, path: 'message', depth: 0 }, charsets);
  }
  const unknownCharsets = [...new Map(charsets.map((c) => [c.charset.toLowerCase(), c])).values()]
    .filter(({ charset }) => !isSupported(charset))
    .map(({ charset, path }) => ({ path, message: `charset "${charset}" cannot be decoded`, code: 'email.unknown_charset' }));
  return malformed ? { malformed, unknownCharsets } : { unknownCharsets };
}

function checkEntity(entity: Entity, charsets: { charset: string; path: string }[]): ErrorDetail | undefined {
  const { text, start, end, path } = entity;
  const blank = blankLine(text, start, end);
  const headers = parseHeaders(text.slice(start, blank?.start ?? end));
  const contentType = libmime.parseHeaderValue(headers.get('content-type') ?? 'text/plain');
  const type = contentType.value.toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = contentType.params.boundary;
    if (!boundary) return { path, message: `${type} without a boundary parameter`, code: 'email.malformed' };
    if (entity.depth >= MAX_DEPTH) return { path, message: `multipart nested more than ${MAX_DEPTH} levels deep`, code: 'email.malformed' };
    const parts = splitParts(text, blank?.end ?? end, end, boundary);
    if (parts.length === 0) return { path, message: `${type} body has no part delimited by its boundary "${boundary}"`, code: 'email.malformed' };
    if (!parts.closed) return { path, message: `${type} body ends without its closing boundary "--${boundary}--"; the mail is cut off`, code: 'email.malformed' };
    for (const [i, part] of parts.entries()) {
      const problem = checkEntity({ text, start: part.start, end: part.end, path: `${path}.${i + 1}`, depth: entity.depth + 1 }, charsets);
      if (problem) return problem;
    }
    return undefined;
  }
  const disposition = libmime.parseHeaderValue(headers.get('content-disposition') ?? 'inline').value.toLowerCase();
  const charset = contentType.params.charset;
  if ((type === 'text/plain' || type === 'text/html') && disposition !== 'attachment' && charset) charsets.push({ charset, path });
  return undefined;
}

/** Lower-case header names to unfolded values; the first occurrence wins, as it does in mailparser. */
function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The first empty line at or after `start`: where the header block ends and the body begins. */
function blankLine(text: string, start: number, end: number): { start: number; end: number } | undefined {
  if (text.startsWith('\n', start)) return { start, end: start + 1 };
  if (text.startsWith('\r\n', start)) return { start, end: start + 2 };
  for (let nl = text.indexOf('\n', start); nl !== -1 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    if (text[nl + 1] === '\n') return { start: nl + 1, end: nl + 2 };
    if (text[nl + 1] === '\r' && text[nl + 2] === '\n') return { start: nl + 1, end: nl + 3 };
  }
  return undefined;
}

type Parts = { start: number; end: number }[] & { closed?: boolean };

/** The body parts between `--boundary` lines (RFC 2046 §5.1.1); `closed` when `--boundary--` was seen. */
function splitParts(text: string, start: number, end: number, boundary: string): Parts {
  const parts: Parts = [];
  const delimiter = `--${boundary}`;
  let partStart: number | undefined;
  for (let at = text.indexOf(delimiter, start); at !== -1 && at < end; at = text.indexOf(delimiter, at + delimiter.length)) {
    if (at !== start && text[at - 1] !== '\n') continue;
    const after = at + delimiter.length;
    const isClose = text.startsWith('--', after);
    const lineEnd = text.indexOf('\n', after);
    const rest = text.slice(isClose ? after + 2 : after, lineEnd === -1 ? end : Math.min(lineEnd, end));
    if (rest.trim() !== '') continue;
    // The line break before a delimiter belongs to the delimiter, not to the part.
    if (partStart !== undefined) parts.push({ start: partStart, end: text[at - 2] === '\r' ? at - 2 : Math.max(partStart, at - 1) });
    if (isClose) {
      parts.closed = true;
      return parts;
    }
    partStart = lineEnd === -1 ? end : lineEnd + 1;
  }
  return parts;
}

const supported = new Map<string, boolean>();

/** Whether mailparser (through libmime) really decodes the charset, rather than falling back to UTF-8. */
function isSupported(charset: string): boolean {
  const key = charset.toLowerCase();
  let known = supported.get(key);
  if (known === undefined) {
    known = libmime.createDecodeStream(charset).supported;
    supported.set(key, known);
  }
  return known;
}
