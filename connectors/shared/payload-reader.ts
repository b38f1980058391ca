import { z } from 'zod';
import { ValidationError } from '../../core/errors/validation.error';
import { dec } from '../../core/order/money';
import { decimalString } from '../../core/order/order.schema';

/**
 * Reading a partner's JSON document (a shop platform's order) with a zod schema of the fields the
 * hub uses: every problem becomes one error detail naming the field as a path in the partner's own
 * JSON (`line_items[2].price`), so whoever fixes the source knows where to look.
 */

/** `['line_items', 2, 'price']` → `line_items[2].price`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)), '');
}

/**
 * @throws ValidationError with `code`, one detail per problem
 */
export function readPayload<S extends z.ZodType>(schema: S, value: unknown, what: string, code: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message }));
  throw new ValidationError(`${what} is not readable: ${details.map((d) => `${d.path || '(body)'} ${d.message}`).join('; ')}`, details, code);
}

/**
 * A body handed over as bytes or text is parsed first; anything else is taken as already parsed.
 * @throws ValidationError when the bytes are not JSON
 */
export function jsonValue(body: unknown, code: string): unknown {
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
  try {
    return JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : body) as unknown;
  } catch {
    throw new ValidationError('body is not JSON', [{ path: '', message: 'not valid JSON' }], code);
  }
}

/** Significant digits a double holds exactly: a JSON number written with more may be read as another value. */
const EXACT_DOUBLE_DIGITS = 15;

/**
 * An amount as partners put it in JSON: a decimal string ("199.00") kept as written, or a JSON
 * number turned into the decimal it was written as. JSON.parse gives the closest double, and the
 * shortest decimal that reads back as that double is the literal itself when the literal has at
 * most 15 significant digits, which covers money and quantities; a number needing more is refused
 * rather than silently rounded.
 */
export const jsonAmount = z
  .union([
    z.string(),
    z
      .number()
      .refine(Number.isFinite, 'must be a finite number')
      .transform((n) => dec(n))
      .refine((d) => d.sd() <= EXACT_DOUBLE_DIGITS, `has more than ${EXACT_DOUBLE_DIGITS} significant digits; send it as a string`)
      .transform((d) => d.toFixed()),
  ])
  .pipe(decimalString);
