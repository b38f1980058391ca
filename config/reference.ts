import { z } from 'zod';
import { connectorConfigSchema, connectorDefinitions } from '../connectors/registry';
import { DECIMAL_PATTERN } from '../core/order/money';
import { hubConfigSchema } from './hub.schema';

/**
 * Renders config/reference.md from the zod schemas, through their JSON Schema (input side, so
 * defaults show and nothing is required that has one). `npm run reference` writes the file; a unit
 * test fails when the checked-in copy differs from what this renders.
 */

/** The part of JSON Schema that z.toJSONSchema emits for config schemas, plus the `secret` meta key. */
interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly description?: string;
  readonly examples?: readonly unknown[];
  readonly secret?: boolean;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
}

export const REFERENCE_FILE = 'config/reference.md';

const INTRO = `# Configuration reference

<!-- Generated from the zod schemas by \`npm run reference\`; edit the schemas, not this file. -->

The hub reads one YAML file: \`config/hub.yaml\` unless \`--config <file>\` names another. Every
key below is optional unless marked **required**; defaults apply to what is left out.

- **Environment variables.** Any string value may contain \`\${VAR}\` or \`\${VAR:-default}\` (the
  default applies when VAR is unset or empty). An unset variable without a default is an error.
  \`$\${\` stands for a literal \`\${\`. References do not nest. In a number or boolean field, the
  variable's text is read as a number or boolean: \`port: \${HTTP_PORT:-8080}\`.
- **Decimal strings** (money, quantities, percentages) may be written as plain numbers
  (\`tolerancePct: 1.5\`); the text is kept exactly as written, never turned into a float.
- **Secrets.** Fields marked **secret** must come from the environment: a value without a
  \`\${VAR}\` in it is refused (a \`\${VAR:-default}\` counts), so config files can be shared and
  checked in.
- **Reference data files** (\`referenceData.*\`) are CSV with a header row, or a YAML list of
  objects (\`.yaml\`, \`.yml\`, \`.json\`); columns are the ones named in each description, an
  unknown column is an error, an empty cell counts as absent, and numbers are kept as written.
- **Unknown keys are errors**, so a misspelt key is reported instead of silently ignored.
- **Relative paths** (\`store.path\`, \`redis.managed.dir\`, \`referenceData.*\`) are resolved
  against the working directory of the hub process, not against the folder of the config file.
- **Errors** name the file, line and key, all problems at once:
  \`hub.yaml:14 connectors[1].secret: literal secret; use \${LOCAL_RECEIVER_SECRET}\`.`;

export function renderReference(): string {
  const root = jsonSchema(hubConfigSchema);
  const sections = Object.entries(root.properties ?? {})
    .filter(([key]) => key !== 'connectors')
    .map(([key, schema]) => section(key, schema));
  return `${[INTRO, ...sections, connectorsSection(root.properties?.connectors)].join('\n\n')}\n`;
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
}

function section(key: string, schema: JsonSchema): string {
  const variants = schema.oneOf ?? schema.anyOf;
  // A list section's own row already carries its description.
  const intro = [`## ${key}`, schema.type === 'array' ? undefined : schema.description].filter(Boolean).join('\n\n');
  if (!variants) return `${intro}\n\n${table(fields(key, schema, false))}`;
  const fallback = hasContent(schema.default) ? `\n\nDefault: ${code(schema.default)}.` : '';
  const parts = variants.map((variant) => `### ${key} (kind: ${String(variant.properties?.kind?.const)})\n\n${table(fields(key, variant, false))}`);
  return [`${intro}${fallback}`, ...parts].join('\n\n');
}

function connectorsSection(schema: JsonSchema | undefined): string {
  const kinds = connectorConfigSchema.options.map((option) => {
    const member = jsonSchema(option);
    const kind = String(member.properties?.kind?.const);
    const definition = connectorDefinitions.find((candidate) => candidate.kind === kind);
    if (!definition) throw new Error(`connectors/registry.ts has a config schema for kind "${kind}" but no connector definition`);
    return `### ${kind}\n\n${definition.summary}\n\n${table(fields('connectors[]', member, false))}`;
  });
  const intro = `## connectors\n\n${schema?.description ?? ''} Each entry's \`kind\` picks its fields; \`id\` names it in routes and logs.`;
  return [intro, ...kinds].join('\n\n');
}

interface Row {
  readonly path: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
}

/**
 * Leaf fields and lists, plus nested objects that have a description or may be left out as a whole
 * (their **required** fields are required only when the object is given).
 */
function fields(path: string, schema: JsonSchema, required: boolean): Row[] {
  const own = { path, schema, required };
  if (schema.properties) {
    const children = Object.entries(schema.properties).flatMap(([key, child]) => fields(`${path}.${key}`, child, schema.required?.includes(key) ?? false));
    const optional = !required && schema.default === undefined;
    return path.includes('.') && (schema.description || optional) ? [own, ...children] : children;
  }
  if (schema.type === 'array' && schema.items?.properties) return [own, ...fields(`${path}[]`, schema.items, false)];
  return [own];
}

function table(rows: readonly Row[]): string {
  const lines = rows.map((row) => `| ${[code(row.path), typeOf(row.schema), defaultOf(row), describe(row.schema)].map(cell).join(' | ')} |`);
  return ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |', ...lines].join('\n');
}

function typeOf(schema: JsonSchema): string {
  const name = baseType(schema);
  return schema.secret ? `${name}, **secret**` : name;
}

function baseType(schema: JsonSchema): string {
  if (schema.const !== undefined) return code(schema.const);
  if (schema.enum) return schema.enum.map(code).join(' or ');
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map(baseType).join(' or ');
  switch (schema.type) {
    case 'string':
      if (schema.pattern === DECIMAL_PATTERN.source) return 'decimal string';
      if (schema.format === 'uri') return 'URL';
      if (schema.format === 'date') return 'date (YYYY-MM-DD)';
      return schema.pattern ? `string matching ${code(schema.pattern)}` : 'string';
    case 'integer':
    case 'number':
      return `${schema.type}${range(schema)}`;
    case 'array':
      return `list of ${schema.items?.properties ? 'objects' : baseType(schema.items ?? {})}`;
    case 'object':
      return typeof schema.additionalProperties === 'object' ? `map of name → ${baseType(schema.additionalProperties)}` : 'object';
    default:
      return schema.type ?? 'any';
  }
}

function range(schema: JsonSchema): string {
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (schema.minimum !== undefined && max !== undefined) return ` ${schema.minimum}–${max}`;
  if (schema.exclusiveMinimum !== undefined) return ` > ${schema.exclusiveMinimum}`;
  return schema.minimum === undefined ? '' : ` ≥ ${schema.minimum}`;
}

function defaultOf(row: Row): string {
  if (row.required) return '**required**';
  return hasContent(row.schema.default) ? code(row.schema.default) : '';
}

function describe(schema: JsonSchema): string {
  const example = schema.examples?.[0];
  return [schema.description, example === undefined ? undefined : `Example: ${code(example)}`].filter(Boolean).join(' ');
}

/** `{}` defaults only mean "the defaults of the fields below", which the rows already show. */
function hasContent(value: unknown): boolean {
  return value !== undefined && !(typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
}

function code(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** GitHub tables split on every `|`, code spans included. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}
