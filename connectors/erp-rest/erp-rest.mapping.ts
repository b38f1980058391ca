import jsonata from 'jsonata';
import type { OrderEventName } from '../../core/lifecycle/order-events';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { Delivery } from '../../core/store/store.port';
import { PermanentPartnerError } from '../../core/errors/partner.error';
import { InvalidMappingError } from '../rest-api/jsonata.mapper';

/**
 * A body mapping runs in well under a millisecond; one still running after this long is a runaway
 * expression (unbounded recursion), stopped so it cannot hold a delivery worker.
 */
const EVALUATION_TIMEOUT_MS = 1_000;
/** Recursion depth of an evaluation; plain field mappings stay far below it. */
const EVALUATION_MAX_DEPTH = 500;

/** What the body mapping sees: the event, the whole canonical order and the delivery's identity. */
export interface MappingInput {
  readonly event: OrderEventName;
  readonly order: CanonicalOrder;
  readonly delivery: { readonly id: string; readonly idempotencyKey: string; readonly attempt: number };
}

export function mappingInput(event: OrderEventName, order: CanonicalOrder, delivery: Delivery): MappingInput {
  return { event, order, delivery: { id: delivery.id, idempotencyKey: delivery.idempotencyKey, attempt: delivery.attempts.length + 1 } };
}

/**
 * Compiles one expression of the config now, so a bad one stops the hub's start, naming the field.
 * @throws InvalidMappingError
 */
export function compileExpression(connectorId: string, field: string, expression: string): jsonata.Expression {
  try {
    return jsonata(expression, { timeout: EVALUATION_TIMEOUT_MS, stack: EVALUATION_MAX_DEPTH });
  } catch (err) {
    throw new InvalidMappingError(connectorId, `${field}: ${reasonOf(err)}`);
  }
}

/**
 * The request body. A mapping that fails on this order fails on every retry of it too.
 * @throws PermanentPartnerError when the expression fails or yields nothing
 */
export async function buildBody(mapping: jsonata.Expression, input: MappingInput): Promise<string> {
  let body: unknown;
  try {
    body = await mapping.evaluate(input);
  } catch (err) {
    throw new PermanentPartnerError(`mapping failed on order ${input.order.id}: ${reasonOf(err)}`);
  }
  if (body === undefined) throw new PermanentPartnerError(`mapping yielded no body for order ${input.order.id}`);
  return JSON.stringify(body);
}

/**
 * The ERP's order number picked out of a JSON answer; numbers are accepted (many ERPs number
 * orders with integers). A non-JSON answer, or one the expression finds nothing in, has none.
 */
export async function readPartnerRef(expression: jsonata.Expression, answer: string): Promise<string | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer);
  } catch {
    return undefined;
  }
  let ref: unknown;
  try {
    ref = await expression.evaluate(parsed);
  } catch {
    return undefined;
  }
  if (typeof ref === 'string' && ref !== '') return ref;
  if (typeof ref === 'number' && Number.isSafeInteger(ref)) return String(ref);
  return undefined;
}

/** JSONata throws plain objects ({ code, position, message }), not Error instances. */
function reasonOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { message, position } = err as { message?: unknown; position?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  return typeof position === 'number' ? `${text} (at position ${position})` : text;
}
