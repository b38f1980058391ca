import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { emailOrderParser } from '../../connectors/email/email-order.parser';
import { spreadsheetOrderParser } from '../../connectors/spreadsheet/spreadsheet-order.parser';
import { FIXTURE_DIR, fixtureMapping, mixedEmails } from '../fixtures/email/generate';
import { measure } from './documents/bench-row';

/**
 * `npm run bench:email`: mails parsed per second on the mixed corpus (direct and forwarded mails,
 * orders in text, tables, CSV and XLSX sheets, GBK/Big5/UTF-8, and the broken kinds), the hub's
 * parser (MIME check, mailparser, forward unwrapping, the order read and mapped to validated
 * drafts) beside mailparser's simpleParser alone on the same mails. The corpus is run whole, without
 * its XLSX mails and with them alone, beside the spreadsheet parser reading their workbook alone,
 * because reading a workbook (exceljs) costs several times more than everything else in a mail.
 */

/** Mails in the corpus; 1,000 gives every kind dozens of times. */
const MAILS = 1000;
const SEED = 20261123;

interface Row {
  readonly corpus: string;
  readonly implementation: string;
  readonly documents: number;
  readonly seconds: number;
  readonly bytes: number;
}

async function main(): Promise<void> {
  const all = mixedEmails(MAILS, SEED).map((m) => m.eml);
  const isXlsx = (eml: Buffer): boolean => eml.includes('.xlsx"');
  const mapping = fixtureMapping();
  const version = (JSON.parse(readFileSync(require.resolve('mailparser/package.json'), 'utf8')) as { version: string }).version;
  const rows: Row[] = [];
  const ratios: string[] = [];
  for (const [corpus, mails] of [
    ['mixed', all],
    ['mixed without XLSX', all.filter((eml) => !isXlsx(eml))],
    ['XLSX mails only', all.filter(isXlsx)],
  ] as const) {
    const name = `${corpus}, ${mails.length} mails`;
    const ours = await measure(mails, (eml) => emailOrderParser.parse(eml, { mapping }));
    const theirs = await measure(mails, (eml) => simpleParser(eml));
    rows.push({ corpus: name, implementation: 'order-hub email parser (parse + mapping to drafts)', ...ours }, { corpus: name, implementation: `mailparser ${version} simpleParser (defaults)`, ...theirs });
    ratios.push(`${corpus}: ${(ours.documents / ours.seconds / (theirs.documents / theirs.seconds)).toFixed(2)}× of simpleParser`);
  }
  // What reading the attached workbook alone costs: the spreadsheet parser (exceljs) on the corpus's .xlsx.
  const workbook = readFileSync(join(FIXTURE_DIR, 'acme-order.xlsx'));
  const sheetMapping = { lines: { sku: '物料编码', quantity: '数量', unitPrice: '单价' }, order: { customerName: { value: 'ACME 建设' }, currency: { value: 'CNY' } }, headerRow: 2 };
  const sheet = await measure([workbook], (xlsx) => spreadsheetOrderParser.parse(xlsx, { mapping: sheetMapping }));
  rows.push({ corpus: 'the attached .xlsx alone', implementation: 'spreadsheet-order parser (exceljs 4.4)', ...sheet });
  const header = `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; date: ${new Date().toISOString()}\n\n`;
  const table = rows.map((r) => `| ${r.corpus} | ${r.implementation} | ${(r.documents / r.seconds).toFixed(0)} | ${(r.bytes / r.seconds / 2 ** 20).toFixed(1)} |`).join('\n');
  process.stdout.write(`${header}| corpus | implementation | mails/s | MB/s |\n|---|---|---|---|\n${table}\n\n${ratios.join('; ')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
