import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { currencyCode, isoDate, nonNegativeDecimal } from '../core/order/order.schema';
import { customerKey, type CalendarDay, type PriceEntry, type StockLevel } from '../core/store/store.port';
import { ConfigError, formatProblem, type ConfigProblem } from './config.error';
import { readRows, type SourceRow } from './reference-rows';

/**
 * Parsers for the reference data named under `referenceData:` in hub.yaml: CSV with a header row,
 * or a YAML list of objects, chosen by extension. Quantities and prices stay decimal strings.
 * Every bad row is reported (file:line column: message) before anything is loaded.
 */

export interface CapacityEntry {
  readonly date: string;
  readonly units: string;
}

/** A file with thousands of bad rows usually has one systematic mistake; the first ones show it. */
const MAX_PROBLEMS = 50;

const text = z.string().trim().min(1);
const yesNo = z
  .string()
  .regex(/^(true|false|yes|no|1|0)$/i, 'expected true/false, yes/no or 1/0')
  .transform((value) => /^(true|yes|1)$/i.test(value));

interface Spec<S extends z.ZodObject, T> {
  readonly row: S;
  /** Rows with equal keys would overwrite each other: refused. */
  readonly key: (entry: T) => string;
  readonly keyName: string;
  readonly entry: (row: z.output<S>) => T;
}

const inventory = spec({
  row: z.strictObject({ sku: text, location: text.default('main'), onHand: nonNegativeDecimal }),
  keyName: 'sku and location',
  key: (level: StockLevel) => `${level.sku}\u0000${level.location}`,
  entry: (row): StockLevel => row,
});

const prices = spec({
  row: z.strictObject({ sku: text, currency: currencyCode, unitPrice: nonNegativeDecimal, customerId: text.optional(), customerName: text.optional() }),
  keyName: 'sku, currency and customer',
  key: (price: PriceEntry) => `${price.sku}\u0000${price.currency}\u0000${price.customerKey ?? ''}`,
  entry: ({ customerId, customerName, ...price }): PriceEntry =>
    customerId || customerName ? { ...price, customerKey: customerKey({ id: customerId, name: customerName ?? '' }) } : price,
});

const capacity = spec({
  row: z.strictObject({ date: isoDate, units: nonNegativeDecimal }),
  keyName: 'date',
  key: (day: CapacityEntry) => day.date,
  entry: (row): CapacityEntry => row,
});

const calendar = spec({
  row: z.strictObject({ date: isoDate, working: yesNo, note: text.optional() }),
  keyName: 'date',
  key: (day: CalendarDay) => day.date,
  entry: (row): CalendarDay => row,
});

/** Stock levels: columns sku, location (default `main`), onHand. */
export function parseInventory(source: string, fileName: string): StockLevel[] {
  return parseWith(inventory, source, fileName);
}

/** Price list: sku, currency, unitPrice, and customerId or customerName for a customer's own price. */
export function parsePrices(source: string, fileName: string): PriceEntry[] {
  return parseWith(prices, source, fileName);
}

/** Daily capacity: date, units. */
export function parseCapacity(source: string, fileName: string): CapacityEntry[] {
  return parseWith(capacity, source, fileName);
}

/** Calendar exceptions: date, working (true/false, yes/no, 1/0), note. */
export function parseCalendar(source: string, fileName: string): CalendarDay[] {
  return parseWith(calendar, source, fileName);
}

const parsers = { inventory: parseInventory, prices: parsePrices, capacity: parseCapacity, calendar: parseCalendar };
export type ReferenceKind = keyof typeof parsers;

/** Reads a file named under `referenceData:` (relative to the working directory) and parses it. */
export function loadReferenceFile<K extends ReferenceKind>(kind: K, path: string): ReturnType<(typeof parsers)[K]> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(path, [{ path: '', message: `cannot read ${kind} file: ${(cause as Error).message}` }], { cause });
  }
  return parsers[kind](source, path) as ReturnType<(typeof parsers)[K]>;
}

function spec<S extends z.ZodObject, T>(definition: Spec<S, T>): Spec<S, T> {
  return definition;
}

function parseWith<S extends z.ZodObject, T>(definition: Spec<S, T>, source: string, fileName: string): T[] {
  const problems: ConfigProblem[] = [];
  const entries: T[] = [];
  const firstLine = new Map<string, number>();
  for (const row of readRows(source, fileName)) {
    const result = definition.row.safeParse(row.values);
    if (!result.success) {
      problems.push(...result.error.issues.flatMap((issue) => rowProblems(issue, row, Object.keys(definition.row.shape))));
      continue;
    }
    const entry = definition.entry(result.data);
    const key = definition.key(entry);
    const earlier = firstLine.get(key);
    if (earlier === undefined) firstLine.set(key, row.line);
    else problems.push({ path: '', message: `same ${definition.keyName} as line ${earlier}`, line: row.line });
    entries.push(entry);
  }
  // A CSV's unknown column is reported by every row, at the header line: once is enough.
  const unique = [...new Map(problems.map((problem) => [formatProblem(fileName, problem), problem])).values()];
  if (unique.length > MAX_PROBLEMS) {
    const hidden = unique.length - MAX_PROBLEMS;
    unique.splice(MAX_PROBLEMS, hidden, { path: '', message: `… and ${hidden} more problems` });
  }
  if (unique.length > 0) throw new ConfigError(fileName, unique);
  return entries;
}

function rowProblems(issue: z.core.$ZodIssue, row: SourceRow, columns: readonly string[]): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: key, message: `unknown column; expected ${columns.join(', ')}`, line: row.keyLine(key) }));
  }
  const column = String(issue.path[0] ?? '');
  const missing = row.values[column] === undefined;
  return [{ path: column, message: missing ? 'required' : issue.message, line: missing ? row.line : row.lineOf(column) }];
}
