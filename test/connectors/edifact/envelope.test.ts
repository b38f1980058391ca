import { interchange, ORDER_BODY, parse } from './edifact.harness';

/** Replaces the segment starting with `from` (first match) in a one-segment-per-line document. */
function replace(doc: string, from: string, to: string): string {
  const lines = doc.split('\n');
  const i = lines.findIndex((l) => l.startsWith(from));
  if (i < 0) throw new Error(`no segment ${from}`);
  lines[i] = to === '' ? '' : `${to}'`;
  return lines.filter((l) => l !== '').join('\n');
}

const good = interchange([ORDER_BODY, ORDER_BODY]);

describe('interchange envelope', () => {
  it('takes a sound interchange with two messages', async () => {
    const result = await parse(good);
    expect(result).toMatchObject({ ok: true, issues: [], interchange: { sender: 'ZZ:SENDER', receiver: 'ZZ:RECEIVER', controlNumber: 'IC1' } });
    expect(result.orders.map((o) => o.ref)).toEqual(['UNH=1', 'UNH=2']);
  });

  describe('when a trailer does not match', () => {
    it.each([
      ['UNT01 (segment count) is wrong', 'UNT+10+1', 'UNT+9+1', 'segment 11 (UNT) UNT01', '29'],
      ['UNT02 differs from UNH01', 'UNT+10+1', 'UNT+10+7', 'segment 11 (UNT) UNT02', '28'],
      ['UNZ01 (message count) is wrong', 'UNZ+2+IC1', 'UNZ+3+IC1', 'segment 22 (UNZ) UNZ01', '29'],
      ['UNZ02 differs from UNB05', 'UNZ+2+IC1', 'UNZ+2+IC2', 'segment 22 (UNZ) UNZ02', '28'],
    ])('rejects the interchange when %s, naming segment and element', async (_, from, to, path, syntaxError) => {
      const result = await parse(replace(good, from, to));
      expect(result).toMatchObject({ ok: false, code: 'edifact.envelope', orders: [] });
      expect(result.issues).toEqual([expect.objectContaining({ path, code: 'edifact.envelope', syntaxError })]);
    });
  });

  describe('when the interchange is truncated', () => {
    it('names the missing UNZ after the last segment', async () => {
      const result = await parse(replace(good, 'UNZ', ''));
      expect(result).toMatchObject({ ok: false, code: 'edifact.envelope' });
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 22 (UNZ)', message: 'the interchange has no UNZ: truncated' })]);
    });

    it('names the missing UNT of a message cut short', async () => {
      const cut = good.split('\n').slice(0, 16).join('\n');
      const result = await parse(cut);
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 17 (UNT)', message: expect.stringContaining('message "2" (segment 12) has no UNT') })]);
    });

    it('names the segment the input stops inside', async () => {
      const result = await parse(good.slice(0, good.indexOf("CUX+2:EUR:9'") + 8));
      expect(result).toMatchObject({ ok: false, code: 'edifact.syntax' });
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 5 (CUX)', message: expect.stringContaining('truncated') })]);
    });

    it('still reports the interchange it could identify, so a CONTRL can answer', async () => {
      const result = await parse(good.slice(0, 200));
      expect(result.interchange).toEqual({ sender: 'ZZ:SENDER', receiver: 'ZZ:RECEIVER', controlNumber: 'IC1' });
    });
  });

  describe('when a version or syntax is unknown', () => {
    it('rejects an ORDERS version the mapping does not take, naming UNH02, and only that message', async () => {
      const doc = replace(good, 'UNH+2+', 'UNH+2+ORDERS:D:93A:UN');
      const result = await parse(doc);
      expect(result.ok).toBe(true);
      expect(result.orders[0]!.draft).toBeDefined();
      expect(result.orders[1]).toMatchObject({ ref: 'UNH=2', issues: [{ path: 'segment 12 (UNH) UNH02-2', code: 'edifact.unsupported_message' }] });
      expect(result.orders[1]!.draft).toBeUndefined();
    });

    it('rejects a message that is not ORDERS, naming UNH02-1', async () => {
      const result = await parse(replace(good, 'UNH+1+', 'UNH+1+DESADV:D:96A:UN'));
      expect(result.orders[0]).toMatchObject({ issues: [{ path: 'segment 2 (UNH) UNH02-1', message: 'UNH02 message type "DESADV" is not ORDERS' }] });
    });

    it('takes D:01B as well as D:96A', async () => {
      const result = await parse(interchange([ORDER_BODY], { version: 'D:01B' }));
      expect(result.orders[0]!.draft).toBeDefined();
    });

    it('rejects an unknown syntax identifier naming UNB01-1', async () => {
      const result = await parse(interchange([ORDER_BODY], { syntax: 'UNOZ:3' }));
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 1 (UNB) UNB01-1', syntaxError: '2' })]);
    });

    it.each(['UNOA', 'UNOB', 'UNOC', 'UNOD', 'UNOK', 'UNOW', 'UNOX', 'UNOY'])('accepts the syntax identifier %s', async (id) => {
      expect((await parse(interchange([ORDER_BODY], { syntax: `${id}:4` }))).ok).toBe(true);
    });
  });

  describe('functional groups', () => {
    const grouped = [
      "UNB+UNOC:3+S+R+260315:0930+IC9'",
      "UNG+ORDERS+S+R+260315:0930+G1+UN+D:96A'",
      ...interchange([ORDER_BODY]).split('\n').slice(1, -2),
      "UNE+1+G1'",
      "UNZ+1+IC9'",
    ].join('\n');

    it('takes messages inside UNG … UNE, UNZ01 counting groups', async () => {
      const result = await parse(grouped);
      expect(result.ok).toBe(true);
      expect(result.envelope?.groups).toEqual([{ ref: 'G1', position: 2, sender: ['S'], recipient: ['R'] }]);
      expect(result.envelope?.messages[0]).toMatchObject({ ref: '1', groupRef: 'G1' });
    });

    it('rejects a wrong UNE01 and a UNE02 that differs from UNG05', async () => {
      const result = await parse(grouped.replace("UNE+1+G1'", "UNE+2+G2'"));
      expect(result.issues.map((i) => i.path)).toEqual(['segment 13 (UNE) UNE01', 'segment 13 (UNE) UNE02']);
    });
  });

  describe('misplaced segments', () => {
    it('rejects a segment after UNZ: one interchange per document', async () => {
      const result = await parse(`${good}${interchange([ORDER_BODY], { control: 'IC2' })}`);
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 23 (UNB)', message: 'UNB after UNZ: one interchange per document' })]);
    });

    it('rejects a data segment outside any message', async () => {
      const result = await parse(good.replace("UNZ+2+IC1'", "FTX+AAI+++stray'\nUNZ+2+IC1'"));
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 22 (FTX)', message: 'FTX outside a message (UNH … UNT)' })]);
    });

    it('rejects an interchange without messages', async () => {
      const result = await parse("UNB+UNOC:3+S+R+260315:0930+IC1'UNZ+0+IC1'");
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 2 (UNZ)', syntaxError: '32' })]);
    });

    it('rejects a body that is not EDIFACT at all', async () => {
      const result = await parse('{"poNumber": "PO-1"}');
      expect(result).toMatchObject({ ok: false, issues: [{ path: 'segment 1 (???)', message: 'an interchange starts with UNA or UNB' }] });
      expect(result.interchange).toBeUndefined();
    });
  });

  describe('character sets', () => {
    it('decodes UNOC as ISO 8859-1', async () => {
      const doc = interchange([ORDER_BODY.map((s) => s.replace('Acme Bau', 'Müller Bau'))]);
      const result = await parse(Buffer.from(doc, 'latin1'));
      expect(result.orders[0]!.draft?.customer.name).toBe('Müller Bau');
    });

    it('rejects UNOY bytes that are not UTF-8', async () => {
      const doc = Buffer.from(interchange([ORDER_BODY], { syntax: 'UNOY:4' }).replace('Acme', 'Acm\u00e9'), 'latin1');
      const result = await parse(doc);
      expect(result).toMatchObject({ ok: false, code: 'edifact.syntax', issues: [{ path: 'body', message: 'UNOY declares UTF-8 but the body is not valid UTF-8' }] });
    });
  });
});
