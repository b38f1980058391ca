/**
 * The structural checks fast-xml-parser's parser leaves out: it reads a truncated file or a
 * mismatched end tag without complaint, so a cut-off order would lose its last lines silently.
 * One pass over the text from the root start tag, jumping between `<` with indexOf: every element
 * is closed by the name it was opened with, nesting and attribute counts stay under their limits,
 * attributes are quoted and not repeated, there is one root and nothing but comments, processing
 * instructions and white space after it, and no DTD markup anywhere. It stands in for
 * fast-xml-parser's XMLValidator, which checks this and names too but costs about a third of a
 * parse; the parse itself refuses the names that matter (`__proto__` and the like).
 */

export interface StructureLimits {
  readonly maxDepth: number;
  readonly maxAttributes: number;
}

export type StructureFailure = {
  readonly ok: false;
  readonly code: 'xml.malformed' | 'xml.too_deep' | 'xml.too_many_attributes' | 'xml.doctype_forbidden';
  readonly message: string;
  /** XPath of the open elements where the problem was found (`/` before the root). */
  readonly path: string;
};

const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Checks the document from `rootStart` (the `<` of the root start tag) to its end. */
export function checkStructure(text: string, rootStart: number, { maxDepth, maxAttributes }: StructureLimits): { readonly ok: true } | StructureFailure {
  const open: string[] = [];
  const fail = (code: StructureFailure['code'], message: string): StructureFailure => ({
    ok: false,
    code,
    message,
    path: `/${open.map((qname) => qname.slice(qname.indexOf(':') + 1)).join('/')}`,
  });
  const cutOff = (inside: string): StructureFailure =>
    fail('xml.malformed', `the document ends inside ${inside} with ${open.length} element${open.length === 1 ? '' : 's'} open (truncated?)`);
  let rootClosed = false;
  let i = rootStart;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (rootClosed && !isBlank(text, i, lt === -1 ? text.length : lt)) return fail('xml.malformed', 'text after the root element');
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === SLASH) {
      const end = text.indexOf('>', lt);
      if (end === -1) return cutOff('an end tag');
      const name = text.slice(lt + 2, end).trim();
      const expected = open.pop();
      if (expected !== name) return fail('xml.malformed', expected === undefined ? `end tag </${name}> without a start tag` : `end tag </${name}> where </${expected}> was expected`);
      rootClosed = open.length === 0;
      i = end + 1;
    } else if (next === BANG) {
      const cdata = text.startsWith('<![CDATA[', lt);
      if (!cdata && !text.startsWith('<!--', lt)) return fail('xml.doctype_forbidden', `markup declaration "${text.slice(lt, lt + 40).replace(/\s+/g, ' ')}" inside the document; DTD markup is never read`);
      if (cdata && open.length === 0) return fail('xml.malformed', 'CDATA outside the root element');
      const end = cdata ? text.indexOf(']]>', lt + 9) : text.indexOf('-->', lt + 4);
      if (end === -1) return cutOff(cdata ? 'a CDATA section' : 'a comment');
      i = end + 3;
    } else if (next === QUESTION) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) return cutOff('a processing instruction');
      i = end + 2;
    } else {
      if (rootClosed) return fail('xml.malformed', 'a second root element');
      let j = lt + 1;
      while (j < text.length) {
        const c = text.charCodeAt(j);
        if (isSpace(c) || c === SLASH || c === GT || c === LT) break;
        j += 1;
      }
      const name = text.slice(lt + 1, j);
      if (name === '') return fail('xml.malformed', `"<" that starts no tag near "${text.slice(lt, lt + 20)}"`);
      open.push(name);
      if (open.length > maxDepth) return fail('xml.too_deep', `elements nest deeper than ${maxDepth} levels`);
      const tag = readAttributes(text, j, name, maxAttributes);
      if ('code' in tag) return fail(tag.code, tag.message);
      if (tag.end >= text.length) return cutOff(`the start tag <${name}`);
      if (tag.selfClosing) {
        open.pop();
        rootClosed = open.length === 0;
      }
      i = tag.end + 1;
    }
  }
  return open.length === 0 ? { ok: true } : cutOff(`<${open[open.length - 1]}>`);
}

/**
 * Reads a start tag's attributes from `at` (just after its name) to its `>`: each must be
 * `name="value"` or `name='value'` with no `<` in the value, no name may repeat (XML 1.0 §3.1),
 * and there may be at most `maxAttributes`. Returns the index of the `>` (the text's length when
 * the tag is cut off), or why not.
 */
function readAttributes(
  text: string,
  at: number,
  element: string,
  maxAttributes: number,
): { end: number; selfClosing: boolean } | { code: 'xml.malformed' | 'xml.too_many_attributes'; message: string } {
  const malformed = (message: string) => ({ code: 'xml.malformed' as const, message });
  let names: Set<string> | undefined;
  let j = at;
  for (;;) {
    while (j < text.length && isSpace(text.charCodeAt(j))) j += 1;
    if (j >= text.length) return { end: j, selfClosing: false };
    const c = text.charCodeAt(j);
    if (c === GT) return { end: j, selfClosing: false };
    if (c === SLASH) return text.charCodeAt(j + 1) === GT ? { end: j + 1, selfClosing: true } : malformed(`"/" inside the start tag <${element}>`);
    const start = j;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (isSpace(d) || d === EQUALS || d === GT || d === SLASH || d === LT) break;
      j += 1;
    }
    const name = text.slice(start, j);
    while (j < text.length && isSpace(text.charCodeAt(j))) j += 1;
    if (name === '' || text.charCodeAt(j) !== EQUALS) return malformed(`attribute ${name || '""'} of <${element}> has no value`);
    j += 1;
    while (j < text.length && isSpace(text.charCodeAt(j))) j += 1;
    const quote = text.charCodeAt(j);
    if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) return j >= text.length ? { end: j, selfClosing: false } : malformed(`attribute ${name} of <${element}> is not quoted`);
    const close = text.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", j + 1);
    if (close === -1) return { end: text.length, selfClosing: false };
    const lt = text.indexOf('<', j + 1);
    if (lt !== -1 && lt < close) return malformed(`attribute ${name} of <${element}> contains "<"`);
    names ??= new Set();
    if (names.has(name)) return malformed(`attribute ${name} is repeated on <${element}>`);
    names.add(name);
    if (names.size > maxAttributes) return { code: 'xml.too_many_attributes', message: `too many attributes on <${element}>: more than ${maxAttributes}` };
    j = close + 1;
    const after = text.charCodeAt(j);
    if (j < text.length && !isSpace(after) && after !== GT && after !== SLASH) return malformed(`attributes of <${element}> are not separated by white space`);
  }
}
