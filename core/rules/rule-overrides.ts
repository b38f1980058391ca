import { z } from 'zod';
import { ruleSettingsSchema, type RuleSettings } from './rule-settings.schema';

/**
 * A source's own take on the intake checks: what differs from the hub's `rules:` for orders from
 * that source. A web shop sells from stock and is paid up front, so it asks for no delivery date
 * or payment terms and a short lead time, while project orders keep the full checks.
 */
export const ruleOverridesSchema = z.record(z.string(), z.unknown()).meta({
  description:
    "Overrides of the hub's `rules:` for orders from this source, merged over them (objects merge, lists replace). Example: `{ required: { fields: [customer.name, 'lines[].sku', 'lines[].quantity'] }, delivery: { leadTimeDays: 1 } }`.",
});

/** The hub's settings with a source's overrides merged in; throws a ZodError when the result is not valid settings. */
export function withRuleOverrides(base: RuleSettings, overrides: Readonly<Record<string, unknown>>): RuleSettings {
  return ruleSettingsSchema.parse(merge(base, overrides));
}

export interface OverrideProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Same as withRuleOverrides, for config validation: each problem with its path inside the overrides, unknown keys included. */
export function checkRuleOverrides(base: RuleSettings, overrides: Readonly<Record<string, unknown>>): OverrideProblem[] {
  const unknown = unknownKeys(ruleSettingsSchema, overrides, []);
  if (unknown.length > 0) return unknown;
  const result = ruleSettingsSchema.safeParse(merge(base, overrides));
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

/** The settings schema strips keys it does not know; an override with a typo must not vanish silently. */
function unknownKeys(schema: z.ZodType, value: unknown, path: readonly PropertyKey[]): OverrideProblem[] {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject) || !isPlainObject(value)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  return Object.entries(value).flatMap(([key, child]) => {
    const field = shape[key];
    if (!field) return [{ path: [...path, key], message: `unknown key "${key}"; expected one of ${Object.keys(shape).join(', ')}` }];
    return unknownKeys(field, child, [...path, key]);
  });
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodPrefault || current instanceof z.ZodDefault || current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}

function merge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = key in base ? merge(base[key], value) : value;
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
