/** One measured implementation of one format, for `npm run bench:documents`. */
export interface BenchRow {
  readonly format: string;
  /** 'order-hub (parse + mapping)', or the npm package name and version it is compared with. */
  readonly implementation: string;
  readonly documents: number;
  readonly seconds: number;
  readonly bytes: number;
}

/** Runs `fn` over `inputs` repeatedly for at least `minSeconds` after a warm-up; returns the totals. */
export async function measure(inputs: readonly Buffer[], fn: (input: Buffer) => unknown, minSeconds = 2): Promise<{ documents: number; seconds: number; bytes: number }> {
  for (const input of inputs.slice(0, Math.min(inputs.length, 50))) await fn(input);
  let documents = 0;
  let bytes = 0;
  const started = performance.now();
  while ((performance.now() - started) / 1000 < minSeconds) {
    for (const input of inputs) {
      await fn(input);
      documents += 1;
      bytes += input.length;
    }
  }
  return { documents, seconds: (performance.now() - started) / 1000, bytes };
}
