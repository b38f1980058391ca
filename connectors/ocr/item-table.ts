import { labelSource } from './contract-fields';
import { type LayoutRow, type TextSpan, spanOf, union } from './ocr-layout';

/**
 * The item table of a contract: its header row names the columns (序号 名称 规格型号 单位 数量 单价
 * 金额, or No. Description Model Qty Unit Unit Price Amount, in any order), and every row below it
 * is read by x position against those header cells, because OCR splits and merges cells and a
 * row's text alone cannot say which number is the quantity. Figures under a header that lost its
 * number cells (OCR drops header cells more often than data) fill the columns it lost. The table
 * ends at the totals row (合计, Total), at a new clause, or at the first row without a figure in
 * its number columns.
 */

export type ColumnName = 'no' | 'description' | 'sku' | 'uom' | 'quantity' | 'unitPrice' | 'amount' | 'remark';

export interface TableColumn {
  readonly name: ColumnName;
  readonly header: TextSpan;
}

export interface ItemRow {
  readonly row: LayoutRow;
  readonly cells: Partial<Record<ColumnName, TextSpan>>;
}

export interface ItemTable {
  readonly header: LayoutRow;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly ItemRow[];
  /** A currency written in a header cell: "单价（元）", "Unit Price (USD)". */
  readonly currencyHint?: TextSpan;
}

/** Header words per column; longer ones first, so "Unit Price" is not read as "Unit". */
const HEADER_WORDS: readonly [ColumnName, RegExp][] = (
  [
    ['description', ['产品名称', '货品名称', '设备名称', '商品名称', '物料名称', '货物名称', '品名', '名称', 'Item description', 'Description', 'Product', 'Goods']],
    ['sku', ['规格型号', '型号规格', '规格及型号', '型号', '规格', 'Model', 'Specification', 'Spec', 'Part No.', 'Part number', 'Type']],
    ['unitPrice', ['含税单价', '单价', 'Unit Price', 'Unit Cost', 'Price']],
    ['uom', ['计量单位', '单位', 'UOM', 'Unit']],
    ['quantity', ['数量', 'Quantity', 'Qty']],
    ['amount', ['合计金额', '金额', '总价', '总金额', '小计', 'Line total', 'Amount', 'Total', 'Subtotal']],
    ['no', ['序号', 'No.', 'No', 'Item', '#']],
    ['remark', ['备注', 'Remarks', 'Remark', 'Notes', 'Note']],
  ] as const
).flatMap(([name, words]) => words.map((word) => [name, new RegExp(`^${labelSource(word)}${/[A-Za-z]$/.test(word) ? '(?![A-Za-z])' : ''}`, 'i')] as [ColumnName, RegExp]))
  .sort((a, b) => b[1].source.length - a[1].source.length);
/** "（元）", "(USD)", "（美元）" right after a header word. */
const HEADER_UNIT = /^\s*[（(〈《<\[]\s*([^）)〉》>\]]{1,8})\s*[）)〉》>\]]/u;
/** A row that closes the table: the totals or a new clause. */
const TABLE_END = /^\s*(?:合\s*计|总\s*计|小\s*计|总\s*价|Total|Grand total|Subtotal|第[一二三四五六七八九十]+条|[一二三四五六七八九十]+、|Article\s*\d|\d{1,2}\s*[.、]\s*\D)/iu;
/**
 * Cells of a table row are further apart than this many row heights (the page's median word
 * height): two cell paddings and a rule are about 1.0 on the corpus, a Latin word space about 0.5,
 * the gap between Chinese characters about 0.15.
 */
const TABLE_CELL_GAP = 0.7;
/** A cell this close (in row heights) to the one before it, in a column both may belong to, continues it. */
const CONTINUATION_GAP = 1.2;
/** A cell holding only a figure: digits, separators, currency marks. */
const FIGURE = /^(?=.*\d)[\s\d０-９.,，．¥￥$€£%]+$/u;
/** Rows further below the previous one than this many row heights are not part of the table. */
const MAX_ROW_GAP = 4;
const NUMBER_COLUMNS: readonly ColumnName[] = ['quantity', 'unitPrice', 'amount'];

/**
 * The first table whose header names the item and its quantity, price or amount (or item, model
 * and unit, when OCR lost the number headers) and has rows with figures below; undefined when
 * there is none.
 */
export function findItemTable(rows: readonly LayoutRow[]): ItemTable | undefined {
  for (let i = 0; i < rows.length; i += 1) {
    // A clause heading that lists the columns ("一、产品名称、规格型号、数量及金额") is not the header.
    const header = TABLE_END.test(rows[i]!.text) ? undefined : readHeader(rows[i]!);
    if (!header) continue;
    const body: ItemRow[] = [];
    let previous = rows[i]!;
    for (const row of rows.slice(i + 1)) {
      if (row.page !== previous.page || row.bbox.y0 - previous.bbox.y1 > MAX_ROW_GAP * row.height) break;
      if (TABLE_END.test(row.text)) break;
      const cells = readCells(row, header.columns);
      if (!NUMBER_COLUMNS.some((name) => cells[name] !== undefined && /\d/.test(cells[name]!.text))) break;
      body.push({ row, cells });
      previous = row;
    }
    if (body.length > 0) return { header: rows[i]!, ...header, rows: body };
  }
  return undefined;
}

function readHeader(row: LayoutRow): Pick<ItemTable, 'columns' | 'currencyHint'> | undefined {
  const columns: TableColumn[] = [];
  let currencyHint: TextSpan | undefined;
  // Header words are looked for cell by cell, so "Item | Description" is never the one word "Item description".
  for (const [cellStart, cellEnd] of cellRanges(row)) {
    let at = cellStart;
    while (at < cellEnd) {
      const rest = row.text.slice(at, cellEnd);
      const found = HEADER_WORDS.find(([, pattern]) => pattern.test(rest));
      if (!found) {
        at += 1;
        continue;
      }
      const length = found[1].exec(rest)![0].length;
      // The bracketed unit may stand a cell gap away: OCR leaves a wide space before 〈元).
      const unit = HEADER_UNIT.exec(row.text.slice(at + length));
      if (!columns.some((c) => c.name === found[0])) columns.push({ name: found[0], header: spanOf(row, at, at + length) });
      if (unit && !currencyHint) currencyHint = spanOf(row, at + length, at + length + unit[0].length);
      at += length + (unit?.[0].length ?? 0);
    }
  }
  const names = new Set(columns.map((c) => c.name));
  // OCR loses header cells (数量, 单价 …) more often than data cells; the figures below can stand in for them.
  const itemHeader = (names.has('description') || names.has('sku')) && (names.has('quantity') || names.has('unitPrice') || names.has('amount'));
  if (!itemHeader && !(names.has('description') && names.has('sku') && names.has('uom'))) return undefined;
  if (names.size < 3) return undefined;
  return currencyHint ? { columns, currencyHint } : { columns };
}

/** The row's tokens grouped into cells by gap, each cell given to the header column it lies under. */
function readCells(row: LayoutRow, columns: readonly TableColumn[]): Partial<Record<ColumnName, TextSpan>> {
  const placed: { column: ColumnName; span: TextSpan }[] = [];
  for (const [start, end] of cellRanges(row)) {
    const span = spanOf(row, start, end);
    const previous = placed[placed.length - 1];
    const continues = previous && span.bbox.x0 - previous.span.bbox.x1 < CONTINUATION_GAP * row.height ? previous.column : undefined;
    placed.push({ column: columnOf(span, columns, continues), span });
  }
  // Figures standing where the header names no number column fill the number columns it lost (OCR
  // drops header cells more often than data cells), right to left: amount, unit price, quantity.
  const headless = NUMBER_COLUMNS.filter((name) => !columns.some((c) => c.name === name));
  const unheaded = placed.filter((p) => FIGURE.test(p.span.text) && !NUMBER_COLUMNS.includes(p.column) && p.column !== 'no');
  const count = Math.min(headless.length, unheaded.length);
  unheaded.slice(unheaded.length - count).forEach((p, i) => {
    p.column = headless[headless.length - count + i]!;
  });
  const cells: Partial<Record<ColumnName, TextSpan>> = {};
  for (const { column, span } of placed) {
    const before = cells[column];
    cells[column] = before ? joinSpans(before, span) : span;
  }
  return cells;
}

/** [start, end) ranges of the row's text, split where neighbouring tokens are a cell gap apart. */
function cellRanges(row: LayoutRow): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  row.tokens.forEach((token, i) => {
    if (i === 0) return;
    const gap = token.bbox.x0 - row.tokens[i - 1]!.bbox.x1;
    if (gap < TABLE_CELL_GAP * row.height) return;
    const tokenStart = row.owner.indexOf(i);
    ranges.push([start, tokenStart]);
    start = tokenStart;
  });
  ranges.push([start, row.text.length]);
  return ranges.filter(([a, b]) => row.text.slice(a, b).trim() !== '');
}

/**
 * The column a cell lies in, from the header cells' x positions. Headers and cells may each be
 * left-aligned, centred or right-aligned, so the cell's column is not simply the header it overlaps:
 * what holds whatever the alignment is that the column's header ends after the previous column's
 * cells begin and starts before the next column's cells end. That leaves the columns from the last
 * header starting before the cell ends (`last`) to the first header ending after it begins (`first`);
 * when two remain (a short right-aligned "2" under a short left-aligned "数量"), figures go to the
 * left one and text to the right one, as tables right-align figures and left-align text — unless
 * the cell continues, a word space away, the cell before it in the left one.
 */
function columnOf(cell: TextSpan, columns: readonly TableColumn[], continues: ColumnName | undefined): ColumnName {
  const box = cell.bbox;
  let last = 0;
  columns.forEach((c, i) => {
    if (c.header.bbox.x0 <= box.x1) last = i;
  });
  let first = columns.findIndex((c) => c.header.bbox.x1 >= box.x0);
  if (first < 0) first = columns.length - 1;
  if (last === first) return columns[last]!.name;
  if (last < first) {
    // A piece of the cell on its left that OCR split off ("Corrugated | carton 5-ply") stays in its column.
    if (continues === columns[last]!.name) return continues;
    return columns[FIGURE.test(cell.text) ? last : first]!.name;
  }
  // The cell reaches under several headers (OCR merged two cells): the one it covers most.
  let best = columns[first]!;
  let bestOverlap = -Infinity;
  for (const column of columns.slice(first, last + 1)) {
    const overlap = Math.min(column.header.bbox.x1, box.x1) - Math.max(column.header.bbox.x0, box.x0);
    if (overlap > bestOverlap) {
      best = column;
      bestOverlap = overlap;
    }
  }
  return best.name;
}

function joinSpans(a: TextSpan, b: TextSpan): TextSpan {
  return { text: `${a.text} ${b.text}`, confidence: Math.min(a.confidence, b.confidence), page: a.page, bbox: union([a.bbox, b.bbox]) };
}
