import { TextDecoder } from 'node:util';
import type { ErrorDetail } from '../../core/errors/hub-error';

/**
 * What safe-xml reads of the raw text before any parser sees it: which encoding the bytes are in,
 * whether the prolog's DOCTYPE is one the hub allows, and where the root element starts. Nothing
 * here expands, fetches or interprets a DTD; a DOCTYPE is either skipped as an inert label or the
 * document is refused.
 */

/** An external-DTD DOCTYPE a format is known to carry, allowed as a label and never fetched. */
export interface AllowedDoctype {
  /** Root element name as written in the DOCTYPE, e.g. `cXML`. */
  readonly root: string;
  /** Which SYSTEM identifiers are allowed, e.g. cXML's published DTD URLs. */
  readonly systemId: RegExp;
}

export interface MarkupFailure {
  readonly ok: false;
  readonly code: 'xml.doctype_forbidden' | 'xml.encoding_unsupported' | 'xml.encoding_invalid';
  readonly issue: ErrorDetail;
}

export interface RootStartTag {
  readonly ok: true;
  /** Index of the root start tag's `<`; -1 when the prolog is followed by no tag. */
  readonly rootStart: number;
  /** Namespace URI of the root element (its prefix's or the default namespace), when declared. */
  readonly rootNamespace: string | undefined;
}

/** How far into the bytes an `<?xml … encoding="…"?>` declaration is looked for. */
const DECLARATION_WINDOW = 256;
/** How much of an internal DTD subset is read to name its ENTITY declarations in the refusal. */
const SUBSET_WINDOW = 64 * 1024;
/** How many declared entity names a refusal lists; a billion-laughs subset has a dozen. */
const NAMED_ENTITIES = 5;

function failure(code: MarkupFailure['code'], message: string, path = '/'): MarkupFailure {
  return { ok: false, code, issue: { path, message, code } };
}

/**
 * Decodes by byte-order mark, then the XML declaration's `encoding`, else UTF-8 (XML 1.0 §4.3.3,
 * Appendix F). Invalid bytes are an error, never U+FFFD: a replaced character in a part number
 * is a wrong order.
 */
export function decodeXml(body: Buffer): { ok: true; text: string } | MarkupFailure {
  let label = 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) label = 'utf-16le';
  else if (body[0] === 0xfe && body[1] === 0xff) label = 'utf-16be';
  else if (body[0] === 0x3c && body[1] === 0x00) label = 'utf-16le';
  else if (body[0] === 0x00 && body[1] === 0x3c) label = 'utf-16be';
  else if (!(body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)) label = declaredEncoding(body) ?? label;

  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return failure('xml.encoding_unsupported', `the declared encoding "${label}" is not supported`);
  }
  try {
    return { ok: true, text: decoder.decode(body) };
  } catch {
    return failure('xml.encoding_invalid', `the bytes are not valid ${decoder.encoding}`);
  }
}

function declaredEncoding(body: Buffer): string | undefined {
  const head = body.subarray(0, DECLARATION_WINDOW).toString('latin1');
  return /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
}

/** The first bytes as text, for sniffing: markup is ASCII in every encoding XML allows but UTF-16. */
export function peekXml(body: Buffer, bytes: number): string {
  const head = body.subarray(0, bytes);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0x3c && head[1] === 0x00)) return head.toString('utf16le');
  if ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0x00 && head[1] === 0x3c)) return Buffer.from(head).swap16().toString('utf16le');
  return head.toString('latin1');
}

/**
 * Walks the prolog (XML declaration, comments, processing instructions, at most one DOCTYPE) to
 * the root start tag, checking the DOCTYPE against `allowed`, and reads the root's namespace from
 * its start tag, since element names reach the parsers without prefixes. DTD markup after the
 * root start is xml-structure's to refuse.
 */
export function checkMarkup(text: string, allowed: readonly AllowedDoctype[]): RootStartTag | MarkupFailure {
  let i = 0;
  let doctypes = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    if (text.startsWith('<?', i)) i = after(text, '?>', i + 2);
    else if (text.startsWith('<!--', i)) i = after(text, '-->', i + 4);
    else if (text.startsWith('<!', i)) {
      doctypes += 1;
      const doctype = readDoctype(text, i, allowed, doctypes);
      if (!doctype.ok) return doctype;
      i = doctype.end;
    } else break;
  }
  if (text[i] !== '<') return { ok: true, rootStart: -1, rootNamespace: undefined };
  return { ok: true, rootStart: i, rootNamespace: rootNamespace(text, i) };
}

/** Index after `close`, or the end of the text: an unclosed construct is the validator's to report. */
function after(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  return at === -1 ? text.length : at + close.length;
}

function snippet(text: string, at: number): string {
  return text.slice(at, at + 40).replace(/\s+/g, ' ');
}

function readDoctype(text: string, start: number, allowed: readonly AllowedDoctype[], count: number): { ok: true; end: number } | MarkupFailure {
  if (!text.startsWith('<!DOCTYPE', start)) return failure('xml.doctype_forbidden', `markup declaration "${snippet(text, start)}" before the root element`);
  if (count > 1) return failure('xml.doctype_forbidden', 'a second DOCTYPE declaration');
  const match = /^<!DOCTYPE\s+([^\s[>]+)\s*(?:(SYSTEM)\s*(["'])(.*?)\3|(PUBLIC)\s*(["'])(.*?)\6\s*(["'])(.*?)\8)?\s*([[>])/s.exec(
    text.slice(start, start + 2048),
  );
  if (!match) return failure('xml.doctype_forbidden', `unreadable DOCTYPE declaration "${snippet(text, start)}"`);
  const [whole, root, , , systemLiteral, , , , , publicSystemLiteral, close] = match;
  const systemId = systemLiteral ?? publicSystemLiteral;
  if (close === '[') return failure('xml.doctype_forbidden', internalSubsetReason(root!, text.slice(start + whole.length, start + whole.length + SUBSET_WINDOW)));
  if (systemId === undefined) return failure('xml.doctype_forbidden', `DOCTYPE ${root} without an allowed external DTD`);
  if (!allowed.some((a) => a.root === root && a.systemId.test(systemId))) {
    return failure('xml.doctype_forbidden', `DOCTYPE ${root} names the external DTD "${systemId}", which is not allowed (DTDs are never fetched)`);
  }
  return { ok: true, end: start + whole.length };
}

/** Names what the internal subset declares, so the refusal says "billion laughs" in its own words. */
function internalSubsetReason(root: string, subset: string): string {
  const entities: string[] = [];
  let total = 0;
  for (const m of subset.matchAll(/<!ENTITY\s+(%\s*)?([^\s"'>]+)\s*(?:(SYSTEM|PUBLIC)\s*(["'])(.*?)\4)?/gs)) {
    total += 1;
    if (entities.length < NAMED_ENTITIES) {
      const kind = m[1] ? 'parameter ENTITY' : m[3] ? 'external ENTITY' : 'ENTITY';
      entities.push(m[3] ? `${kind} ${m[2]} ${m[3]} "${m[5]}"` : `${kind} ${m[2]}`);
    }
  }
  const declared = total === 0 ? 'declarations' : `${entities.join(', ')}${total > entities.length ? ` and ${total - entities.length} more` : ''}`;
  return `DOCTYPE ${root} has an internal DTD subset with ${declared}; entity declarations are never expanded`;
}

/** Namespace URI of the root element from its start tag; quoted attribute values may contain `>`. */
function rootNamespace(text: string, start: number): string | undefined {
  let i = start + 1;
  let quote: string | undefined;
  for (; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') break;
  }
  const tag = text.slice(start + 1, i);
  const qname = /^[^\s/>]+/.exec(tag)?.[0] ?? '';
  const prefix = qname.includes(':') ? qname.slice(0, qname.indexOf(':')) : '';
  const declaration = prefix === '' ? /\sxmlns\s*=\s*(["'])(.*?)\1/s : new RegExp(`\\sxmlns:${prefix.replace(/[.\\-]/g, '\\$&')}\\s*=\\s*(["'])(.*?)\\1`, 's');
  return declaration.exec(tag)?.[2];
}
