import type { EmailTemplate } from './email.mapping';
import type { Table } from './html-body';
import { matchColumns } from './order-columns';

/**
 * Tables typed or pasted into a plain-text body: cells separated by `|` (Markdown and ASCII-art
 * tables), by tabs (pasted from Excel or WPS) or by runs of two or more spaces (lined up by hand).
 * A table starts at a row whose cells are order headers (SKU/型号 and 数量/Qty at least) and runs
 * to the first blank line or the first line that does not split the same way.
 */

/** Rule lines between header and rows: `|---|:---:|`, `-----`, `=====`, `+----+`. */
const RULE = /^[\s|:+=\-─━]+$/;

type Splitter = (line: string) => string[];

const SPLITTERS: readonly { readonly test: (line: string) => boolean; readonly split: Splitter }[] = [
  { test: (line) => line.includes('|'), split: (line) => line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim()) },
  { test: (line) => line.includes('\t'), split: (line) => line.split('\t').map((cell) => cell.trim()) },
  { test: (line) => / {2,}|\u3000/.test(line.trim()), split: (line) => line.trim().split(/(?: {2,}|\u3000)+/).map((cell) => cell.trim()) },
];

export function textTables(text: string, template: EmailTemplate): Table[] {
  const lines = text.split('\n');
  const tables: Table[] = [];
  for (let i = 0; i < lines.length; i++) {
    const splitter = SPLITTERS.find((s) => s.test(lines[i]!));
    if (!splitter) continue;
    const header = splitter.split(lines[i]!);
    if (header.length < 2 || !matchColumns(header, template)) continue;
    const table: Table = [header];
    let next = i + 1;
    for (; next < lines.length; next++) {
      const line = lines[next]!;
      if (RULE.test(line) && line.trim() !== '') continue;
      if (!splitter.test(line)) break;
      table.push(splitter.split(line));
    }
    tables.push(table);
    i = next - 1;
  }
  return tables;
}
