import { readInterchangeHeader } from '../../../connectors/x12/x12-interchange-header';
import { acceptanceOf, generateTa1, rejectionOf, type X12Ta1 } from '../../../connectors/x12/x12-ta1.generator';
import { ValidationError } from '../../../core/errors/validation.error';
import { counter, edit, fixture, outbound, parse, readBack } from './x12-harness';

/** ISA13 907, sent 2026-11-03 09:12 (ISA09 261103, ISA10 0912) by ZZ:HARBORCO to ZZ:ORDERHUB. */
const good = fixture('850-5010-two-orders.edi');
const isa = good.slice(0, good.indexOf('~'));

/** TA101…TA105 of the one TA1 in a written document, read back with the hub's own reader. */
function ta1Of(body: Buffer): string[] {
  const segments = readBack(body).segments.filter((s) => s.startsWith('TA1*'));
  expect(segments).toHaveLength(1);
  return segments[0]!.split('*').slice(1);
}

/** The TA1 rejecting `document`, as the hub would write it. */
async function rejection(document: string | Buffer, mapping: Record<string, unknown> = {}): Promise<X12Ta1> {
  const result = await parse(document, mapping);
  expect(result.ok).toBe(false);
  expect(result.header).toBeDefined();
  return rejectionOf(result, result.header!);
}

describe('X12 TA1 interchange acknowledgment', () => {
  describe('when written on its own', () => {
    const ta1: X12Ta1 = { controlNumber: '000000907', date: '261103', time: '0912', status: 'R', note: '001' };

    it('is ISA, TA1, IEA with no group, from us to the partner, named by our ISA13', async () => {
      const document = await generateTa1(ta1, outbound());
      const { isa: written, segments } = readBack(document.body);
      expect(written).toBe('ISA*00*          *00*          *ZZ*ORDERHUB       *ZZ*HARBORCO       *261123*1055*^*00501*000000001*0*P*>');
      expect(segments).toEqual(['TA1*000000907*261103*0912*R*001', 'IEA*0*000000001']);
      expect([document.format, document.fileName, document.contentType]).toEqual(['x12-ta1', 'TA1-000000001.x12', 'application/edi-x12']);
    });

    it('draws only an ISA13, so the partner sees no gap in our GS06 and ST02 numbers', async () => {
      const drawn: string[] = [];
      const numbers = counter();
      await generateTa1(ta1, outbound({ controlNumbers: { next: (scope) => (drawn.push(scope), numbers.next(scope)) } }));
      expect(drawn).toEqual(['isa']);
    });

    it('writes a 004010 envelope when asked, with U in ISA11', async () => {
      const document = await generateTa1(ta1, outbound({ version: '004010' }));
      expect(readBack(document.body).isa).toMatch(/\*U\*00401\*000000001\*0\*P\*>$/);
    });

    it('refuses a malformed TA1, naming each element, before drawing any number', async () => {
      const drawn: string[] = [];
      const attempt = generateTa1({ controlNumber: '907', date: '20261103', time: '0912', status: 'R', note: '1' }, outbound({ controlNumbers: { next: async (scope) => (drawn.push(scope), 1) } }));
      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject({ details: [{ path: 'controlNumber' }, { path: 'date' }, { path: 'note' }] });
      expect(drawn).toEqual([]);
    });
  });

  describe('when it answers an interchange whose envelope is broken', () => {
    it('names the received ISA13, ISA09 and ISA10 and rejects it (TA104 R)', async () => {
      const document = await generateTa1(await rejection(edit(good, 'IEA*1*000000907', 'IEA*1*000000908')), outbound());
      expect(ta1Of(document.body)).toEqual(['000000907', '261103', '0912', 'R', '001']);
    });

    it.each([
      ['IEA02 is not ISA13', edit(good, 'IEA*1*000000907', 'IEA*1*000000908'), '001'],
      ['IEA01 miscounts the groups', edit(good, 'IEA*1*', 'IEA*2*'), '021'],
      ['the file ends inside the interchange', good.slice(0, good.indexOf('GE*2*907')), '023'],
      ['a set comes without a GS', edit(good, 'GS*PO*HARBORCO*ORDERHUB*20261103*0912*907*X*005010~\n', ''), '022'],
      ['a GE is missing', edit(good, 'GE*2*907~\n', ''), '022'],
      ['ISA06 is a character short (the ISA is 105 characters)', edit(good, 'ZZ*HARBORCO       *', 'ZZ*HARBORCO      *'), '006'],
      ['ISA14 is two characters', edit(good, '*000000907*0*P*', '*000000907*00*P*'), '019'],
      ['ISA13 is not nine digits', edit(good, '*000000907*0*P*', '*907      *0*P*'), '018'],
      ['the component separator is the segment terminator', edit(good, '*0*P*>~', '*0*P*~~'), '027'],
      ['the segment terminator is the element separator', good.replaceAll('~', '*'), '004'],
    ])('notes it in TA105 when %s', async (_case, document, note) => {
      expect((await rejection(document)).note).toBe(note);
    });

    it('notes a document over the size limit as invalid content (024), reading only its ISA', async () => {
      expect((await rejection(good, { limits: { maxBytes: 200 } })).note).toBe('024');
    });

    it('notes a document over the segment limit as invalid content (024), not as a control structure error', async () => {
      expect((await rejection(good, { limits: { maxSegments: 5 } })).note).toBe('024');
    });
  });

  describe('when it answers an interchange whose envelope is sound', () => {
    it('accepts it with note 000', async () => {
      const result = await parse(edit(good, '*000000907*0*P*', '*000000907*1*P*'));
      expect(result.header).toMatchObject({ acknowledgmentRequested: true });
      const document = await generateTa1(acceptanceOf(result.header!), outbound());
      expect(ta1Of(document.body)).toEqual(['000000907', '261103', '0912', 'A', '000']);
    });
  });
});

describe('reading the ISA for a TA1', () => {
  it('reads sender, receiver, control number, date, time, version and ISA14 of a sound ISA', () => {
    expect(readInterchangeHeader(good)).toEqual({
      sender: 'ZZ:HARBORCO',
      receiver: 'ZZ:ORDERHUB',
      date: '261103',
      time: '0912',
      version: '00501',
      controlNumber: '000000907',
      acknowledgmentRequested: false,
    });
  });

  it('reads an ISA whose ids are padded to the wrong width, which the strict reader refuses', () => {
    const sloppy = edit(isa, 'ZZ*HARBORCO       *ZZ*ORDERHUB       *', 'ZZ*HARBORCO*ZZ*ORDERHUB*');
    expect(readInterchangeHeader(`${sloppy}~`)).toMatchObject({ sender: 'ZZ:HARBORCO', receiver: 'ZZ:ORDERHUB', controlNumber: '000000907' });
  });

  it.each([
    ['the document is not an ISA', 'UNB+UNOC:3+HARBORCO:ZZ+ORDERHUB:ZZ+261123:0912+301'],
    ['the element separator is a letter', isa.replaceAll('*', 'Q')],
    ['ISA13 is not a number', edit(isa, '*000000907*', '*00000090X*')],
    ['ISA09 is not a date', edit(isa, '*261103*', '*26-11-*')],
    ['the ISA ends before ISA13', isa.slice(0, isa.indexOf('*000000907'))],
    ['the sender qualifier is not two letters or digits', edit(isa, '*ZZ*HARBORCO', '*Z*HARBORCO')],
  ])('reads nothing when %s: nobody could be addressed', (_case, text) => {
    expect(readInterchangeHeader(text)).toBeUndefined();
  });
});
