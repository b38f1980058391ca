import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './config.error';
import { locate, startOf } from './yaml-location';

/** One row of a reference-data file, every value a string, with where it came from. */
export interface SourceRow {
  readonly values: Readonly<Record<string, string>>;
  /** Line of the row (CSV: the header is line 1). */
  readonly line: number;
  /** Line of one value; in CSV every value is on the row's line. */
  lineOf(column: string): number;
  /** Line where a column is named: the CSV header, or the YAML key. */
  keyLine(column: string): number;
}

/**
 * Reads a CSV (header row) or a YAML/JSON list of objects into string-valued rows. Values are never
 * turned into numbers here: "0.1" must reach the decimal code as written, so YAML is read with the
 * failsafe schema (every scalar a string). Empty values are dropped, so they read as absent.
 */
export function readRows(text: string, fileName: string): SourceRow[] {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.csv') return csvRows(text, fileName);
  if (['.yaml', '.yml', '.json'].includes(extension)) return yamlRows(text, fileName);
  throw new ConfigError(fileName, [{ path: '', message: `unsupported file type "${extension}"; use .csv, .yaml, .yml or .json` }]);
}

function csvRows(text: string, fileName: string): SourceRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: true, info: true, bom: true, trim: true, skip_empty_lines: true, comment: '#', comment_no_infix: true });
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    throw new ConfigError(fileName, [{ path: '', message: (cause as Error).message, ...(line === undefined ? {} : { line }) }], { cause });
  }
  const headerLine = text.split(/\r?\n/).findIndex((line) => line.trim() !== '' && !line.startsWith('#')) + 1;
  return records.map(({ record, info }) => ({ values: present(record), line: info.lines, lineOf: () => info.lines, keyLine: () => headerLine }));
}

function yamlRows(text: string, fileName: string): SourceRow[] {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const doc = parseDocument(text, { lineCounter, schema: 'failsafe', prettyErrors: false });
  const fail = (message: string, offset: number): never => {
    throw new ConfigError(fileName, [{ path: '', message, line: lineAt(offset) }]);
  };
  const firstError = doc.errors[0];
  if (firstError) fail(firstError.message.split('\n')[0] ?? firstError.code, firstError.pos[0]);
  if (doc.contents === null) return [];
  if (!isSeq(doc.contents)) return fail('expected a list of rows', 0);
  return doc.contents.items.map((item, i) => {
    if (!isMap(item)) return fail('expected a row of column: value pairs', startOf(item));
    const line = lineAt(startOf(item));
    const values = item.toJSON() as Record<string, unknown>;
    if (Object.values(values).some((value) => typeof value === 'object' && value !== null)) fail('values must be plain text, not lists or maps', startOf(item));
    const lineOf = (column: string): number => lineAt(locate(doc, [i, column]).offset);
    return { values: present(values as Record<string, string>), line, lineOf, keyLine: lineOf };
  });
}

function present(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''));
}
