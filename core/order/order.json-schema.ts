import { z } from 'zod';
import { canonicalOrderSchema, orderDraftSchema } from './order.schema';

/** JSON Schema (draft 2020-12) of what partners receive and of what the REST API accepts. */
export function canonicalOrderJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(canonicalOrderSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}

export function orderDraftJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(orderDraftSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
