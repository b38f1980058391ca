import { isAlias, isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { z } from 'zod';
import { isSecretSchema } from '../core/schema/secret';
import { keyOf, startOf } from './yaml-location';

/**
 * Walks the YAML tree beside the zod schema for what zod cannot see: keys the schema does not know
 * (zod's plain objects drop them silently, and a typo such as `levle:` must not pass), secrets given
 * as literals (zod sees only the final string, not where it came from), `${VAR}` values in number or
 * boolean fields (an environment value is text; the field's type decides how to read it), and plain
 * numbers in text fields such as decimal strings (kept as written, never through a float).
 */

export interface WalkProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Source offset of the offending key or value. */
  readonly offset: number;
}

/** The schema under optional/default/prefault/nullable/readonly/catch/pipe wrappers; `secret` if any layer is marked. */
export function unwrapSchema(schema: z.core.$ZodType): { core: z.core.$ZodType; secret: boolean } {
  // Every schema here comes from zod's classic API, so the core type is a ZodType at run time.
  const marked = (s: z.core.$ZodType): boolean => isSecretSchema(s as z.ZodType);
  let core = schema;
  let secret = marked(core);
  for (;;) {
    const def = core._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (!next) return { core, secret };
    core = next;
    secret ||= marked(core);
  }
}

/** The member of a discriminated union whose literal matches `value`, e.g. the connector schema for `kind: webhook-target`. */
export function unionMember(union: z.ZodDiscriminatedUnion, value: unknown): z.core.$ZodType | undefined {
  const discriminator = union._zod.def.discriminator;
  return union.options.find((option) => {
    const literal = option instanceof z.ZodObject ? unwrapSchema(option.shape[discriminator]).core : undefined;
    return literal instanceof z.ZodLiteral && literal.values.has(value as z.core.util.Literal);
  });
}

export function walkConfig(doc: Document, schema: z.core.$ZodType, fromEnv: ReadonlySet<Scalar>): WalkProblem[] {
  const problems: WalkProblem[] = [];

  const visit = (found: unknown, schema: z.core.$ZodType, path: readonly PropertyKey[], owner: string | undefined): void => {
    const node = isAlias(found) ? found.resolve(doc) : found;
    const { core, secret } = unwrapSchema(schema);
    if (isScalar(node)) {
      if (secret && !fromEnv.has(node)) {
        const variable = [owner, path.at(-1)].filter((part) => part !== undefined).map(envName).join('_');
        problems.push({ path, message: `literal secret; use \${${variable}}`, offset: startOf(node) });
      } else if (fromEnv.has(node) && typeof node.value === 'string') {
        node.value = readAs(core, node.value);
      } else if (typeof node.value === 'number' && core instanceof z.ZodString) {
        // `tolerancePct: 1.5` means the text "1.5"; the float YAML made of it may not print back exactly.
        node.value = node.source ?? String(node.value);
      }
      return;
    }
    if (core instanceof z.ZodArray && isSeq(node)) {
      node.items.forEach((item, i) => visit(item, core.element, [...path, i], owner));
    } else if (core instanceof z.ZodRecord && isMap(node)) {
      for (const pair of node.items) visit(pair.value, core.valueType, [...path, keyOf(pair.key)], owner);
    } else if (core instanceof z.ZodDiscriminatedUnion && isMap(node)) {
      const member = unionMember(core, node.get(core._zod.def.discriminator));
      if (member) visit(node, member, path, owner);
    } else if (core instanceof z.ZodObject && isMap(node)) {
      const named = node.get('id') ?? node.get('kind');
      const nextOwner = typeof named === 'string' ? named : owner;
      const known = Object.keys(core.shape);
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        const field = core.shape[key];
        if (field) visit(pair.value, field, [...path, key], nextOwner);
        else if (core._zod.def.catchall === undefined) {
          problems.push({ path: [...path, key], message: unknownKeyMessage(key, known), offset: startOf(pair.key) });
        }
      }
    }
  };

  visit(doc.contents, schema, [], undefined);
  return problems;
}

/** `local-receiver` + `secret` → LOCAL_RECEIVER_SECRET; `apiToken` → API_TOKEN. */
function envName(part: PropertyKey): string {
  return String(part)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

function readAs(core: z.core.$ZodType, text: string): unknown {
  if (core instanceof z.ZodNumber && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (core instanceof z.ZodBoolean && /^(true|false)$/.test(text.trim())) return text.trim() === 'true';
  return text;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const limit = key.length < 4 ? 1 : 2;
  const near = known.find((candidate) => editDistance(key.toLowerCase(), candidate.toLowerCase()) <= limit);
  return near ? `unknown key "${key}"; did you mean "${near}"?` : `unknown key "${key}"; expected one of ${known.join(', ')}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
