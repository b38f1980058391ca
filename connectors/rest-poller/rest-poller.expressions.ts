import Decimal from 'decimal.js';
import jsonata from 'jsonata';
import { z } from 'zod';
import { dec } from '../../core/order/money';

/**
 * The JSONata side of the generic REST poller (https://docs.jsonata.org). Every expression of a
 * connector's config is compiled when the config is loaded, so a syntax error stops the hub's start
 * with `hub.yaml:<line> connectors[3].mapping.order: …`; the compiled expression is kept by its text
 * and reused when the connector is created.
 *
 * Numbers reach the expressions as the text the platform wrote (see number-text-json.ts). JSONata's
 * own arithmetic works on doubles, so decimal functions are bound into every expression instead
 * (registerFunction: https://docs.jsonata.org/embedding-extending#expressionregisterfunctionname-implementation-signature):
 * `$decimalPlus(a, b)`, `$decimalMinus(a, b)`, `$decimalTimes(a, b)`, `$decimalDiv(a, b)` and
 * `$decimalSum(array)` take numbers as strings and answer decimal strings, exactly;
 * `$decimalRound(a, places)` rounds half up.
 */

/** A mapping runs in well under a millisecond; one still running after this long is a runaway (unbounded recursion). */
const EVALUATION_TIMEOUT_MS = 1_000;
/** Recursion depth of an evaluation; field mappings stay far below it. */
const EVALUATION_MAX_DEPTH = 500;

const compiled = new Map<string, jsonata.Expression>();

/** JSONata throws plain objects ({ code, position, message }), not Error instances. */
export function jsonataReason(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { message, position } = err as { message?: unknown; position?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  return typeof position === 'number' ? `${text} (at position ${position})` : text;
}

/**
 * The compiled expression for `source`, with the decimal functions bound; compiled once per text.
 * @throws the JSONata syntax error (a plain object, see {@link jsonataReason})
 */
export function compileExpression(source: string): jsonata.Expression {
  const known = compiled.get(source);
  if (known) return known;
  const expression = jsonata(source, { timeout: EVALUATION_TIMEOUT_MS, stack: EVALUATION_MAX_DEPTH });
  bindDecimalFunctions(expression);
  compiled.set(source, expression);
  return expression;
}

/** A config field holding a JSONata expression: checked by compiling it, so a syntax error is a config error naming the field. */
export function expressionField(description: string, examples?: readonly string[]) {
  return z
    .string()
    .min(1)
    .superRefine((source, ctx) => {
      try {
        compileExpression(source);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `not a valid JSONata expression: ${jsonataReason(err)}` });
      }
    })
    .meta({ description: `${description}. JSONata; the platform's numbers reach it as strings of their exact digits.`, ...(examples ? { examples: [...examples] } : {}) });
}

/** JSONata's undefined-means-nothing, and its sequences (arrays with a `sequence` flag) as plain arrays. */
export async function evaluate(expression: jsonata.Expression, input: unknown, bindings?: Record<string, unknown>): Promise<unknown> {
  const result: unknown = await expression.evaluate(input, bindings);
  return Array.isArray(result) ? [...result] : result;
}

type DecimalArg = string | number;

function bindDecimalFunctions(expression: jsonata.Expression): void {
  // <(sn)(sn):s>: each argument a string or a number, answer a string (JSONata signature syntax).
  expression.registerFunction('decimalPlus', (a: DecimalArg, b: DecimalArg) => decimal(a).plus(decimal(b)).toFixed(), '<(sn)(sn):s>');
  expression.registerFunction('decimalMinus', (a: DecimalArg, b: DecimalArg) => decimal(a).minus(decimal(b)).toFixed(), '<(sn)(sn):s>');
  expression.registerFunction('decimalTimes', (a: DecimalArg, b: DecimalArg) => decimal(a).times(decimal(b)).toFixed(), '<(sn)(sn):s>');
  expression.registerFunction('decimalDiv', (a: DecimalArg, b: DecimalArg) => decimal(a).div(decimal(b)).toFixed(), '<(sn)(sn):s>');
  expression.registerFunction('decimalSum', (values: readonly DecimalArg[] | DecimalArg | undefined) => {
    const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
    return list.reduce((acc: Decimal, v) => acc.plus(decimal(v)), dec(0)).toFixed();
  }, '<a:s>');
  expression.registerFunction('decimalRound', (a: DecimalArg, places: DecimalArg) => decimal(a).toDecimalPlaces(Number(places), Decimal.ROUND_HALF_UP).toFixed(), '<(sn)(sn):s>');
}

/** A number given as a number (a literal in the expression, a count) is read from its shortest text. */
function decimal(value: DecimalArg) {
  try {
    return dec(typeof value === 'number' ? String(value) : value.trim());
  } catch {
    throw new Error(`"${String(value)}" is not a decimal number`);
  }
}
