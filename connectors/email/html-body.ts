import { Parser } from 'htmlparser2';

/**
 * An HTML mail body read once into what order reading needs: its tables, as rows of cell texts,
 * and its text, line by line. mailparser's text version of HTML runs the cells of a row together
 * ("SKUQtyPUMP-2002"), and it makes none at all for HTML inside multipart/related or
 * multipart/mixed (a mail with a logo or an attachment), so both are made here.
 *
 * Mail templates nest tables for layout; cell text goes to the innermost open table only, so the
 * order table inside a layout cell comes out clean, and the layout table around it holds no order
 * columns. In the text, a table row is one line with its cells separated by tabs.
 */
export type Table = string[][];

export interface HtmlBody {
  readonly tables: Table[];
  readonly text: string;
}

/** Tags whose text is never shown. */
const HIDDEN = new Set(['style', 'script', 'head', 'title']);
/** Tags that start and end a line of text. */
const BLOCKS = new Set(['p', 'div', 'br', 'tr', 'li', 'table', 'hr', 'blockquote', 'pre', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'dd', 'address', 'center', 'section', 'article', 'header', 'footer']);
/** Elements without content: one line break where they stand, not one at each end. */
const VOID = new Set(['br', 'hr']);
/** A colspan larger than any real order table: keeps a hostile colspan="100000" from allocating. */
const MAX_COLSPAN = 50;

interface OpenTable {
  readonly rows: Table;
  row?: string[];
  cell?: string;
  span: number;
}

export function readHtml(html: string): HtmlBody {
  const tables: Table[] = [];
  const open: OpenTable[] = [];
  let text = '';
  let hidden = 0;
  let cellsInRow = 0;
  const closeCell = (table: OpenTable): void => {
    if (table.cell === undefined) return;
    table.row ??= [];
    table.row.push(table.cell.replace(/\s+/g, ' ').trim(), ...Array<string>(table.span - 1).fill(''));
    table.cell = undefined;
  };
  const closeRow = (table: OpenTable): void => {
    closeCell(table);
    if (table.row && table.row.some((cell) => cell !== '')) table.rows.push(table.row);
    table.row = undefined;
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (HIDDEN.has(name)) hidden++;
        if (BLOCKS.has(name)) text += '\n';
        if (name === 'tr') cellsInRow = 0;
        if ((name === 'td' || name === 'th') && cellsInRow++ > 0) text += '\t';
        const table = open[open.length - 1];
        if (name === 'table') open.push({ rows: [], span: 1 });
        else if (!table) return;
        else if (name === 'tr') closeRow(table);
        else if (name === 'td' || name === 'th') {
          closeCell(table);
          table.cell = '';
          table.span = Math.min(MAX_COLSPAN, Math.max(1, Number.parseInt(attributes.colspan ?? '1', 10) || 1));
        } else if (BLOCKS.has(name) && table.cell !== undefined) table.cell += ' ';
      },
      ontext(data) {
        if (hidden > 0) return;
        text += data.replace(/[\s\u00a0]+/g, ' ');
        const table = open[open.length - 1];
        if (table?.cell !== undefined) table.cell += data;
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        if (BLOCKS.has(name) && !VOID.has(name)) text += '\n';
        const table = open[open.length - 1];
        if (!table) return;
        if (name === 'tr') closeRow(table);
        else if (name === 'td' || name === 'th') closeCell(table);
        else if (name === 'table') {
          closeRow(table);
          open.pop();
          if (table.rows.length > 0) tables.push(table.rows);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return { tables, text: tidy(text) };
}

/** Lines trimmed of the spaces markup leaves, and at most one blank line in a row. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^ +| +$/g, '').replace(/ *\t */g, '\t'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
