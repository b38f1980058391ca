import { XMLParser, type X2jOptions } from 'fast-xml-parser';
import { z } from 'zod';
import type { ErrorDetail } from '../../core/errors/hub-error';
import { checkMarkup, decodeXml, type AllowedDoctype } from './xml-prolog';
import { XmlElement } from './xml-path';
import { checkStructure } from './xml-structure';

export type { AllowedDoctype } from './xml-prolog';
export { peekXml } from './xml-prolog';

/**
 * The one hardened fast-xml-parser setup every XML business format reads through.
 *
 * In order, each step bounded by the input's size: a byte cap before anything else; decoding by
 * BOM or declared encoding (invalid bytes refused); a prolog check that refuses every DOCTYPE but
 * an allowed external-DTD label (never fetched); a structure check (xml-structure.ts: elements
 * balanced, depth cap, one root, attribute syntax, no DTD markup anywhere), because the parser
 * alone reads a truncated file without complaint; then the parse, with attribute and value caps,
 * no entity expansion beyond the five XML entities and character references, values kept as the
 * exact strings written ("007", "12.50"), and namespace prefixes removed (UBL's cac:/cbc: and
 * default namespaces read alike; the root's namespace URI is reported separately so a parser can
 * check the document type).
 */

/** 20 MiB: far above any real order document, small enough to hold decoded in memory several times. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** cXML, UBL and IDoc orders nest under 15 levels; 64 leaves room for extensions and refuses nesting bombs early. */
export const DEFAULT_MAX_DEPTH = 64;
/** Business elements carry a handful of attributes; hundreds on one element is an attack, not an order. */
export const DEFAULT_MAX_ATTRIBUTES = 64;
/** Attribute values are codes, ids and amounts; 64 Ki characters is generous. */
export const DEFAULT_MAX_ATTRIBUTE_LENGTH = 64 * 1024;
/** Text may hold an embedded attachment (UBL EmbeddedDocumentBinaryObject, base64), so the cap is high. */
export const DEFAULT_MAX_TEXT_LENGTH = 16 * 1024 * 1024;

export interface SafeXmlOptions {
  /** Largest body read, in bytes, checked before decoding. @defaultValue {@link DEFAULT_MAX_BYTES} */
  readonly maxBytes?: number;
  /** Deepest element nesting; the root is depth 1. @defaultValue {@link DEFAULT_MAX_DEPTH} */
  readonly maxDepth?: number;
  /** Most attributes on one element. @defaultValue {@link DEFAULT_MAX_ATTRIBUTES} */
  readonly maxAttributes?: number;
  /** Longest attribute value, in characters. @defaultValue {@link DEFAULT_MAX_ATTRIBUTE_LENGTH} */
  readonly maxAttributeLength?: number;
  /** Longest text content of one element, in characters. @defaultValue {@link DEFAULT_MAX_TEXT_LENGTH} */
  readonly maxTextLength?: number;
  /** External-DTD DOCTYPEs accepted as inert labels (cXML's); any other DOCTYPE is refused. @defaultValue none */
  readonly allowedDoctypes?: readonly AllowedDoctype[];
}

const limit = (description: string, fallback: number) => z.number().int().positive().default(fallback).meta({ description });

/** The limits a partner's mapping may tighten or loosen (`mapping.limits`); the rest stay fixed. */
export const xmlLimitsSchema = z
  .strictObject({
    maxBytes: limit('Largest document read, in bytes; larger ones are refused as document.too_large.', DEFAULT_MAX_BYTES),
    maxDepth: limit('Deepest element nesting (the root is 1); deeper is refused as xml.too_deep.', DEFAULT_MAX_DEPTH),
    maxTextLength: limit('Longest text of one element, in characters; longer is refused as xml.value_too_long.', DEFAULT_MAX_TEXT_LENGTH),
  })
  .prefault({})
  .meta({ description: 'Bounds on time and memory for hostile or broken input.' });

export type SafeXmlFailureCode =
  | 'document.too_large'
  | 'xml.encoding_unsupported'
  | 'xml.encoding_invalid'
  | 'xml.doctype_forbidden'
  | 'xml.entity_forbidden'
  | 'xml.malformed'
  | 'xml.too_deep'
  | 'xml.too_many_attributes'
  | 'xml.value_too_long';

export type SafeXmlResult =
  | { readonly ok: true; readonly root: XmlElement; readonly rootNamespace: string | undefined }
  | { readonly ok: false; readonly code: SafeXmlFailureCode; readonly issues: readonly ErrorDetail[] };

/** Thrown from inside fast-xml-parser's callbacks to stop the parse; caught in {@link readXml} only. */
class XmlRefusal extends Error {
  constructor(
    readonly code: SafeXmlFailureCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export function readXml(body: Buffer, options: SafeXmlOptions = {}): SafeXmlResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (body.length > maxBytes) return refused('document.too_large', `the document is ${body.length} bytes; the limit is ${maxBytes}`);

  const decoded = decodeXml(body);
  if (!decoded.ok) return { ok: false, code: decoded.code, issues: [decoded.issue] };
  const markup = checkMarkup(decoded.text, options.allowedDoctypes ?? []);
  if (!markup.ok) return { ok: false, code: markup.code, issues: [markup.issue] };
  if (markup.rootStart === -1) return refused('xml.malformed', 'no root element');
  const structure = checkStructure(decoded.text, markup.rootStart, {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxAttributes: options.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES,
  });
  if (!structure.ok) return refused(structure.code, structure.message, structure.path);

  let document: Record<string, unknown>;
  try {
    document = new XMLParser(parserOptions(options)).parse(decoded.text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof XmlRefusal) return refused(err.code, err.message, err.path);
    return refused('xml.malformed', `not well-formed XML: ${(err as Error).message}`);
  }

  // checkStructure saw exactly one root element.
  const [name] = Object.keys(document);
  const node = name === undefined ? undefined : (document[name] as unknown[])[0];
  if (name === undefined || node === undefined) return refused('xml.malformed', 'no root element');
  return { ok: true, root: new XmlElement(name, node as Record<string, unknown>, `/${name}`), rootNamespace: markup.rootNamespace };
}

function refused(code: SafeXmlFailureCode, message: string, path = '/'): SafeXmlResult {
  return { ok: false, code, issues: [{ path, message, code }] };
}

type Matcher = Exclude<Parameters<NonNullable<X2jOptions['tagValueProcessor']>>[2], string>;

/** `/a/b/c` of the element being read; with `jPath: false` the callbacks get fast-xml-parser's matcher. */
function pathOf(matcher: Matcher | string): string {
  return typeof matcher === 'string' ? `/${matcher.replaceAll('.', '/')}` : `/${matcher.toString('/')}`;
}

function parserOptions(options: SafeXmlOptions): X2jOptions {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxAttributeLength = options.maxAttributeLength ?? DEFAULT_MAX_ATTRIBUTE_LENGTH;
  const maxTextLength = options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  return {
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    alwaysCreateTextNode: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    // Callbacks get the live matcher, not a path string built for every value.
    jPath: false,
    processEntities: { enabled: true },
    entityDecoder: xmlEntityDecoder,
    // checkStructure refuses deeper nesting first and names the place; this is the library's backstop.
    maxNestedTags: maxDepth + 1,
    tagValueProcessor(tagName, value, matcher) {
      if (value.length > maxTextLength) {
        throw new XmlRefusal('xml.value_too_long', `text of <${tagName}> is ${value.length} characters; the limit is ${maxTextLength}`, pathOf(matcher));
      }
      return undefined;
    },
    attributeValueProcessor(attrName, value, matcher) {
      if (value.length > maxAttributeLength) {
        throw new XmlRefusal('xml.value_too_long', `attribute ${attrName} is ${value.length} characters; the limit is ${maxAttributeLength}`, `${pathOf(matcher)}/@${attrName}`);
      }
      return undefined;
    },
  };
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The longest reference worth reading: `&#x10FFFF;` and the predefined names are far shorter. */
const MAX_REFERENCE_LENGTH = 12;

/**
 * fast-xml-parser's `htmlEntities: false` leaves `&#20013;` undecoded and `true` adds HTML's named
 * entities, neither of which is XML. This decoder reads exactly XML's five predefined entities and
 * character references, refuses any other reference (an undeclared entity is not well-formed, and
 * is what an entity bomb's payload looks like), and refuses entities declared in a DTD should one
 * ever reach it (the prolog and structure checks refuse every DTD first).
 */
const xmlEntityDecoder: NonNullable<X2jOptions['entityDecoder']> = {
  setExternalEntities() {},
  reset() {},
  setXmlVersion() {},
  addInputEntities(entities) {
    if (Object.keys(entities).length > 0) throw new XmlRefusal('xml.doctype_forbidden', 'the document declares entities', '/');
  },
  decode(text) {
    let at = text.indexOf('&');
    if (at === -1) return text;
    let out = '';
    let from = 0;
    while (at !== -1) {
      const end = text.indexOf(';', at);
      if (end === -1 || end - at > MAX_REFERENCE_LENGTH) {
        throw new XmlRefusal('xml.malformed', `"&" that starts no entity or character reference near "${text.slice(at, at + MAX_REFERENCE_LENGTH)}"`, '/');
      }
      out += text.slice(from, at) + resolveReference(text.slice(at + 1, end));
      from = end + 1;
      at = text.indexOf('&', from);
    }
    return out + text.slice(from);
  },
};

function resolveReference(name: string): string {
  if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name]!;
  const code = /^#x[0-9A-Fa-f]{1,6}$/.test(name) ? parseInt(name.slice(2), 16) : /^#[0-9]{1,7}$/.test(name) ? Number(name.slice(1)) : undefined;
  if (code === undefined) {
    throw /^[A-Za-z_:][\w.:-]*$/.test(name)
      ? new XmlRefusal('xml.entity_forbidden', `reference to the undeclared entity &${name}; (only the five XML entities and character references are read)`, '/')
      : new XmlRefusal('xml.malformed', `"&${name};" is neither an entity nor a character reference`, '/');
  }
  if (!isXmlChar(code)) throw new XmlRefusal('xml.malformed', `character reference &${name}; is not an XML character`, '/');
  return String.fromCodePoint(code);
}

/** XML 1.0 §2.2 Char. */
function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
