/** The p-th percentile of an ascending list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Runs `send(0…count-1)` with `concurrency` calls in flight; returns seconds, rate and each call's latency (ms), sorted. */
export async function drive(count: number, concurrency: number, send: (i: number) => Promise<unknown>): Promise<{ seconds: number; rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await send(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rate: count / seconds, latencies: latencies.sort((a, b) => a - b) };
}
