import { cpus, totalmem } from 'node:os';
import type { BenchRow } from './documents/bench-row';

/**
 * `npm run bench:documents`: every document format beside the fastest npm alternative that
 * installs here, in one run on one machine. Each format's module under documents/ exports `bench()`.
 */
const FORMATS: readonly string[] = ['x12', 'edifact', 'xml'];

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  for (const name of FORMATS) {
    const module = (await import(`./documents/${name}.bench`)) as { bench(): Promise<BenchRow[]> };
    rows.push(...(await module.bench()));
  }
  const header = `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; date: ${new Date().toISOString()}\n\n`;
  const table = rows
    .map((r) => `| ${r.format} | ${r.implementation} | ${(r.documents / r.seconds).toFixed(0)} | ${(r.bytes / r.seconds / 2 ** 20).toFixed(1)} |`)
    .join('\n');
  process.stdout.write(`${header}| format | implementation | documents/s | MB/s |\n|---|---|---|---|\n${table}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
