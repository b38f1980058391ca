import { randomBytes } from 'node:crypto';
import { interchange, ORDER_BODY, parse } from './edifact.harness';

const MB = 2 ** 20;

/** Hostile input is judged by what comes back (a reason), never by how long it took. */
describe('hostile input', () => {
  it('rejects 50 MB of random bytes unread, as too large', async () => {
    const result = await parse(randomBytes(50 * MB));
    expect(result).toMatchObject({ ok: false, code: 'document.too_large', orders: [] });
    expect(result.issues[0]!.message).toBe(`${50 * MB} bytes is more than the ${20 * MB} this partner's mapping allows`);
  });

  it('rejects 50 MB of random bytes after a UNB when the cap is raised, naming the first bad segment', async () => {
    const body = Buffer.concat([Buffer.from("UNB+UNOC:3+A+B+260101:1200+1'"), randomBytes(50 * MB)]);
    const result = await parse(body, { limits: { maxBytes: 64 * MB } });
    expect(result.ok).toBe(false);
    expect(result.issues[0]!.path).toMatch(/^segment 2 \(/);
  });

  it('stops reading at the segment limit: 200,000 segments', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `FTX+AAI+++line ${i}`);
    const result = await parse(interchange([[...ORDER_BODY.slice(0, 3), ...lines, ...ORDER_BODY.slice(3)]]));
    expect(result).toMatchObject({ ok: false, code: 'document.too_large' });
    expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 100001 (FTX)', message: 'more than 100000 segments' })]);
    expect(result.interchange?.controlNumber).toBe('IC1');
  });

  it('reads one 10 MB segment without a terminator as truncated', async () => {
    const result = await parse(`UNB+UNOC:3+A+B+260101:1200+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++${'x'.repeat(10 * MB)}`);
    expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 3 (FTX)', message: expect.stringContaining('truncated') })]);
  });

  it('survives millions of release characters and separators in one segment', async () => {
    const text = `UNB+UNOC:3+A+B+260101:1200+1'FTX+AAI+++${'??'.repeat(2 * MB)}${':'.repeat(MB)}${'+'.repeat(MB)}'`;
    const result = await parse(text);
    expect(result).toMatchObject({ ok: false, code: 'edifact.envelope' });
    expect(result.issues[0]).toMatchObject({ path: 'segment 2 (FTX)', message: 'FTX outside a message (UNH … UNT)' });
  });

  it('takes nothing from numbers that are not plain decimals', async () => {
    const body = ORDER_BODY.map((s) => (s.startsWith('QTY') ? `QTY+21:${'9'.repeat(5000)}` : s));
    const result = await parse(interchange([body]));
    expect(result.orders[0]).toMatchObject({ issues: [{ path: 'segment 7 (QTY) QTY01-2', code: 'edifact.content' }] });
    expect(result.orders[0]!.draft).toBeUndefined();
  });
});
