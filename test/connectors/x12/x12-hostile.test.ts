import { randomBytes } from 'node:crypto';
import { fixture, parse } from './x12-harness';

const MiB = 1024 * 1024;
const isa = fixture('850-5010-two-orders.edi').slice(0, 107);

describe('hostile X12 input', () => {
  describe('when 50 MB of random bytes arrive', () => {
    const garbage = randomBytes(50 * MiB);

    it('refuses them as document.too_large under the default 20 MB cap', async () => {
      const result = await parse(garbage);
      expect(result).toMatchObject({ ok: false, code: 'document.too_large', orders: [] });
      expect(result.issues[0]!.message).toBe(`the document is ${50 * MiB} bytes; the limit is ${20 * MiB} (mapping.limits.maxBytes)`);
    });

    it('refuses them as x12.envelope at the ISA when the cap allows their size', async () => {
      const result = await parse(garbage, { limits: { maxBytes: 64 * MiB } });
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope', orders: [] });
      expect(result.issues[0]!.path).toMatch(/^segment 1 \(ISA\)/);
    });
  });

  describe('when a valid ISA is followed by random bytes', () => {
    it('refuses them at the first thing that is not a segment', async () => {
      const result = await parse(Buffer.concat([Buffer.from(isa), randomBytes(15 * MiB)]));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues[0]!.path).toMatch(/^segment 2\b/);
    });
  });

  describe('when a segment never ends', () => {
    it('refuses it once it passes maxSegmentLength, naming the segment', async () => {
      const result = await parse(`${isa}GS*${'A'.repeat(5 * MiB)}`);
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues).toEqual([
        {
          path: 'segment 2',
          message: 'no segment terminator "~" within 4096 characters: the terminator is wrong or the data is not X12',
          code: 'x12.segment_too_long',
        },
      ]);
    });
  });

  describe('when an interchange has 200,000 segments', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `PO1*${i + 1}*1*EA*1.00**VP*SKU-${i}~\n`).join('');
    const huge = `${isa}GS*PO*HARBORCO*ORDERHUB*20261103*0912*907*X*005010~\nST*850*0001~\nBEG*00*SA*PO-1**20261103~\n${lines}`;

    it('refuses it as document.too_many_segments under the default 100,000', async () => {
      const result = await parse(huge);
      expect(result).toMatchObject({ ok: false, code: 'document.too_many_segments', orders: [] });
      expect(result.issues).toEqual([{ path: 'segment 100001', message: 'more than 100000 segments (mapping.limits.maxSegments)', code: 'x12.structure' }]);
    });

    it('refuses it under a partner limit too', async () => {
      const result = await parse(huge, { limits: { maxSegments: 500 } });
      expect(result.code).toBe('document.too_many_segments');
    });
  });
});
