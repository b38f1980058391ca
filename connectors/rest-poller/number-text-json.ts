import { dec } from '../../core/order/money';

/**
 * JSON read with every number literal kept as the text the platform wrote ("12.50", not 12.5; a
 * 19-digit order id exactly, not rounded to the nearest double). A platform's page is read with it
 * before any JSONata expression sees it, so money and quantities never pass through a float and an
 * expression that maps `price` gets "12.50" — what the canonical order wants anyway.
 *
 * The orders the hub keeps are written back with those strings (`"price": "12.50"`), so intake,
 * which reads kept orders with plain JSON.parse, sees exactly what the poll saw.
 *
 * Grammar: RFC 8259 (https://www.rfc-editor.org/rfc/rfc8259#section-6). Strings are decoded by
 * JSON.parse itself, so escapes and surrogates follow the standard exactly.
 */

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;
/** Nesting deeper than this is refused: no platform page needs it, and a crafted one must not exhaust the stack. */
const MAX_DEPTH = 512;

export class JsonTextError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'JsonTextError';
  }
}

/**
 * Parses `text`; numbers come back as strings holding their literal.
 * @throws JsonTextError naming the position of the first problem
 */
export function parseNumbersAsText(text: string): unknown {
  let at = 0;

  const skip = (): void => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };

  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (!found) return undefined;
    at = pattern.lastIndex;
    return found[0];
  };

  const expect = (char: string): void => {
    skip();
    if (text[at] !== char) throw new JsonTextError(`expected '${char}'`, at);
    at += 1;
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new JsonTextError(`nested deeper than ${MAX_DEPTH}`, at);
    skip();
    const char = text[at];
    if (char === '{') return object(depth);
    if (char === '[') return array(depth);
    if (char === '"') return string();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return literal;
      }
    }
    const number = match(NUMBER);
    if (number === undefined) throw new JsonTextError(char === undefined ? 'unexpected end' : `unexpected '${char}'`, at);
    return number;
  };

  const string = (): string => {
    const start = at;
    const literal = match(STRING);
    if (literal === undefined) throw new JsonTextError('malformed string', start);
    return JSON.parse(literal) as string;
  };

  const object = (depth: number): Record<string, unknown> => {
    at += 1;
    const result: Record<string, unknown> = {};
    skip();
    if (text[at] === '}') {
      at += 1;
      return result;
    }
    for (;;) {
      skip();
      if (text[at] !== '"') throw new JsonTextError('expected a property name', at);
      const key = string();
      expect(':');
      // defineProperty: a "__proto__" key is data, as with JSON.parse, never the prototype.
      Object.defineProperty(result, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
      skip();
      if (text[at] === ',') {
        at += 1;
        continue;
      }
      expect('}');
      return result;
    }
  };

  const array = (depth: number): unknown[] => {
    at += 1;
    const result: unknown[] = [];
    skip();
    if (text[at] === ']') {
      at += 1;
      return result;
    }
    for (;;) {
      result.push(value(depth + 1));
      skip();
      if (text[at] === ',') {
        at += 1;
        continue;
      }
      expect(']');
      return result;
    }
  };

  const result = value(0);
  skip();
  if (at !== text.length) throw new JsonTextError('unexpected text after the JSON value', at);
  return result;
}

/**
 * The same shape with every number written as its shortest decimal text, for a value someone read
 * with JSON.parse (a body replayed by hand with numbers in it). Exact only for numbers a double
 * holds exactly; the orders this connector keeps carry their numbers as text and never need it.
 */
export function numbersToText(value: unknown): unknown {
  // Plain notation (1e21 is "1000000000000000000000"), as the decimal strings of an order must be.
  if (typeof value === 'number') return Number.isFinite(value) ? dec(value).toFixed() : null;
  if (Array.isArray(value)) return value.map(numbersToText);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: numbersToText(item), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
