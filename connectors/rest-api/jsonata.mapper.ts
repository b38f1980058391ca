import jsonata from 'jsonata';
import { HubError, type ErrorDetail } from '../../core/errors/hub-error';
import type { OrderDraftInput } from '../../core/order/order.types';
import type { InboundMapper } from '../connector';

/** The format raw messages of mapped connectors are stored under; intake picks the mapper by connector id. */
export const MAPPED_JSON_FORMAT = 'mapped-json';

/**
 * A mapping turns one order body into one draft in well under a millisecond; an evaluation still
 * running after this long is a runaway expression (unbounded recursion), stopped so it cannot hold
 * a request or an intake worker.
 */
const MAPPING_TIMEOUT_MS = 1_000;

/** Recursion depth of an evaluation; plain field mappings stay far below it. */
const MAPPING_MAX_DEPTH = 500;

/** A JSONata mapping failed on a body: a function threw, a type did not fit, the guardrails hit. */
export class MappingError extends HubError {
  constructor(message: string, details: readonly ErrorDetail[]) {
    super('mapping.failed', message, 'user', { details });
  }
}

/** The mapping expression in config does not compile; raised at start, naming the connector. */
export class InvalidMappingError extends HubError {
  constructor(connectorId: string, reason: string) {
    super('connector.invalid_mapping', `connector "${connectorId}": mapping is not a valid JSONata expression: ${reason}`, 'user');
  }
}

/** JSONata throws plain objects ({ code, position, token, message }), not Error instances. */
function describeJsonataError(err: unknown): { code?: string; text: string } {
  if (typeof err !== 'object' || err === null) return { text: String(err) };
  const { code, position, message } = err as { code?: unknown; position?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  return {
    ...(typeof code === 'string' ? { code } : {}),
    text: typeof position === 'number' ? `${text} (at position ${position})` : text,
  };
}

/**
 * Compiles `expression` now, so a bad mapping fails the hub's start rather than the first order.
 * The result is returned as JSONata produced it; intake validates it against the draft schema.
 * @throws InvalidMappingError when the expression does not compile
 */
export function createJsonataMapper(connectorId: string, expression: string): InboundMapper {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression, { timeout: MAPPING_TIMEOUT_MS, stack: MAPPING_MAX_DEPTH });
  } catch (err) {
    throw new InvalidMappingError(connectorId, describeJsonataError(err).text);
  }
  return {
    format: MAPPED_JSON_FORMAT,
    async map(body: unknown): Promise<OrderDraftInput> {
      try {
        return (await compiled.evaluate(body)) as OrderDraftInput;
      } catch (err) {
        const { code, text } = describeJsonataError(err);
        throw new MappingError(`connector "${connectorId}": mapping failed: ${text}`, [
          { path: '', message: text, ...(code ? { code } : {}) },
        ]);
      }
    },
  };
}
