import { LEVEL_A, readServiceString, type ServiceCharacters } from '../../../connectors/edifact/edifact.service-string';
import { tokenize } from '../../../connectors/edifact/edifact.tokenizer';
import { normaliseDecimal, readDate, wrapText, joinText } from '../../../connectors/edifact/edifact.values';
import { escape, writeSegment } from '../../../connectors/edifact/edifact.writer';
import { interchange, ORDER_BODY, parse, plain } from './edifact.harness';

function read(text: string) {
  const service = readServiceString(text, 0);
  if (!service.ok) throw new Error(service.issue.message);
  return tokenize(text, service.start, service.chars, { maxSegments: 1000 });
}

describe('UNA service string advice', () => {
  describe('when UNA declares other characters and a decimal comma', () => {
    const doc = "UNA^|,! ~UNB|UNOC^3|A|B|260101^1200|1~UNH|1|ORDERS^D^96A^UN~QTY|21^12,5~NAD|BY||a!|b!^c!!d!~e~";

    it('splits components, elements and segments by the declared characters', () => {
      expect(plain(read(doc).segments).slice(0, 3)).toEqual(['UNB+UNOC:3+A+B+260101:1200+1', 'UNH+1+ORDERS:D:96A:UN', 'QTY+21:12,5']);
    });

    it('removes the declared release character and keeps what it releases', () => {
      expect(read(doc).segments[3]!.elements).toEqual([['BY'], [''], ['a|b^c!d~e']]);
    });
  });

  describe('when there is no UNA', () => {
    it('uses the level A defaults', () => {
      expect(plain(read("UNB+UNOC:3+A+B+260101:1200+1'UNZ+0+1'").segments)).toEqual(['UNB+UNOC:3+A+B+260101:1200+1', 'UNZ+0+1']);
    });

    it('uses the level B information separators after UNB (UNOB)', () => {
      expect(plain(read('UNB\x1dUNOB\x1f3\x1dA\x1dB\x1d260101\x1f1200\x1d1\x1cUNZ\x1d0\x1d1\x1c').segments)).toEqual(['UNB+UNOB:3+A+B+260101:1200+1', 'UNZ+0+1']);
    });
  });

  describe('when UNA is unusable', () => {
    it.each([
      ["UNA:+*? 'UNB+UNOC:3+A+B+260101:1200+1'", 3, 'decimal mark'],
      ["UNA:A.? 'UNB+UNOC:3+A+B+260101:1200+1'", 2, 'cannot be a service character'],
      ["UNA::.? 'UNB+UNOC:3+A+B+260101:1200+1'", 1, 'must differ'],
      ['UNA:+', 3, 'cut short'],
    ])('rejects %s naming the character', async (doc, position, message) => {
      const result = await parse(doc);
      expect(result).toMatchObject({ ok: false, code: 'edifact.syntax' });
      expect(result.issues[0]).toMatchObject({ path: `service string advice (UNA) character ${position}` });
      expect(result.issues[0]!.message).toContain(message);
    });
  });

  it('skips line breaks and blanks between segments (CRLF, LF)', () => {
    expect(plain(read("UNB+UNOC:3+A+B+260101:1200+1'\r\n  UNZ+0+1'\n\n").segments)).toEqual(['UNB+UNOC:3+A+B+260101:1200+1', 'UNZ+0+1']);
  });

  it('reports a release character at the very end as a truncated segment', () => {
    const tokens = read("UNB+UNOC:3+A+B+260101:1200+1'UNZ+0?");
    expect(tokens.issue).toMatchObject({ path: 'segment 2 (UNZ)', code: 'edifact.syntax' });
  });

  it('rejects a segment tag that is not three upper-case letters or digits', () => {
    expect(read("UNB+UNOC:3+A+B+260101:1200+1'un+1'").issue).toMatchObject({ path: 'segment 2 (???)', message: '"un" is not a segment tag' });
  });
});

describe('release character escaping', () => {
  const custom: ServiceCharacters = { component: '^', element: '|', decimal: ',', release: '!', repetition: ' ', terminator: '~' };

  it.each([
    ['level A', LEVEL_A, "a'b+c:d?e"],
    ['custom characters', custom, 'a~b|c^d!e'],
  ])('writes and reads back every service character with %s', (_, chars, value) => {
    const written = writeSegment(['FTX', 'AAI', undefined, undefined, [value, 'second']], chars);
    const service = chars === LEVEL_A ? "UNA:+.? '" : 'UNA^|,! ~';
    const tokens = tokenize(`${service}${written}`, 9, chars, { maxSegments: 10 });
    expect(tokens.segments[0]!.elements[3]).toEqual([value, 'second']);
  });

  it('releases only what needs releasing', () => {
    expect(escape("O'Brien + Partner: Tiefbau? GmbH")).toBe("O?'Brien ?+ Partner?: Tiefbau?? GmbH");
    expect(escape('华东水务 (上海)')).toBe('华东水务 (上海)');
  });

  it('leaves trailing empty elements and components out', () => {
    expect(writeSegment(['NAD', 'BY', ['ID', '', ''], undefined, undefined])).toBe("NAD+BY+ID'");
  });
});

describe('values', () => {
  it.each([
    ['12,50', '12.50'],
    ['12.50', '12.50'],
    ['-3', '-3'],
    ['0012', '0012'],
  ])('reads the number %s as %s without going through a float', (raw, expected) => {
    expect(normaliseDecimal(raw)).toBe(expected);
  });

  it.each(['1.234,5', '1e3', '.5', '5.', '12 000', '', '0x10'])('refuses %s', (raw) => {
    expect(normaliseDecimal(raw)).toBeUndefined();
  });

  it('reads DTM formats 102, 203 and 204 and refuses impossible dates', () => {
    expect(readDate('20270115', '102')).toBe('2027-01-15');
    expect(readDate('202701151030', '203')).toBe('2027-01-15');
    expect(readDate('20270115103000', '204')).toBe('2027-01-15');
    expect(readDate('20260230', '102')).toBeUndefined();
    expect(readDate('270115', '101')).toBeUndefined();
  });

  it('wraps text at spaces so that joining gives it back', () => {
    const name = 'Shanghai Huadong Water Engineering Group Co. Ltd. Qingpu Branch';
    const parts = wrapText(name, 35, 5);
    expect(parts.every((p) => p.length <= 35)).toBe(true);
    expect(joinText(parts)).toBe(name);
  });
});

describe('a whole interchange', () => {
  it('parses with line breaks between segments and a UTF-8 BOM before it', async () => {
    const result = await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\r\n${interchange([ORDER_BODY])}`)]));
    expect(result.ok).toBe(true);
    expect(result.orders[0]!.draft?.lines[0]).toMatchObject({ sku: 'SKU-1', quantity: '3', unitPrice: '10.50' });
  });
});
