import type { Issue } from '../order/order.types';
import type { Rule } from './rule';

/**
 * Completeness (the intake review's first question): every configured field path is present and
 * non-empty. A segment ending in `[]` walks every element (`lines[].sku` → `lines[0].sku`, …), and
 * a list that is absent or empty is reported at the list's own path.
 */
export const requiredFieldsRule: Rule = {
  name: 'required-fields',
  async check({ order, settings }) {
    const { fields, severity } = settings.required;
    return fields
      .flatMap((field) => missingPaths(order, field.split('.'), ''))
      .map(
        (path): Issue => ({ rule: 'required-fields', code: 'required.missing', severity, path, message: `${path} is required` }),
      );
  },
};

function missingPaths(value: unknown, segments: readonly string[], at: string): string[] {
  const [segment, ...rest] = segments;
  if (segment === undefined) return isEmpty(value) ? [at] : [];
  if (segment.endsWith('[]')) {
    const name = segment.slice(0, -2);
    const path = join(at, name);
    const list = child(value, name);
    if (!Array.isArray(list) || list.length === 0) return [path];
    return list.flatMap((element, i) => missingPaths(element, rest, `${path}[${i}]`));
  }
  return missingPaths(child(value, segment), rest, join(at, segment));
}

function child(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

/** Whitespace alone is not a value: a customer name of " " is as good as none. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
