import { generate997 } from '../../../connectors/x12/x12-997.generator';
import { HubError } from '../../../core/errors/hub-error';
import { edit, fixture, outbound, parse, readBack } from './x12-harness';

const good = fixture('850-5010-two-orders.edi');

/** The 997's segments between ST and SE. */
async function acknowledge(body: string, options = outbound()): Promise<string[]> {
  const document = await generate997(await parse(body), options);
  return readBack(document.body).segments.filter((s) => /^AK\d\*/.test(s));
}

describe('X12 997 functional acknowledgment', () => {
  describe('when every set of the group was taken', () => {
    it('accepts each set and the group, with the counts', async () => {
      expect(await acknowledge(good)).toEqual(['AK1*PO*907*005010', 'AK2*850*0001', 'AK5*A', 'AK2*850*0002', 'AK5*A', 'AK9*A*2*2*2']);
    });

    it('is one FA group in its own interchange, named by its ISA13', async () => {
      const document = await generate997(await parse(good), outbound());
      const { segments } = readBack(document.body);
      expect(segments[0]).toBe('GS*FA*ORDERHUB*HARBORCO*20261123*1055*1*X*005010');
      expect(segments).toContain('ST*997*0001');
      expect([document.format, document.fileName, document.contentType]).toEqual(['x12-997', '997-000000001.x12', 'application/edi-x12']);
    });

    it('leaves out AK103 in a 004010 acknowledgment', async () => {
      expect((await acknowledge(good, outbound({ version: '004010' })))[0]).toBe('AK1*PO*907');
    });
  });

  describe('when one set of the group is bad', () => {
    const partlyBad = edit(good, 'PO1*1*4*EA*460.00', 'PO1*1*four*EA*460.00');

    it('rejects that set with AK3/AK4 naming the segment and element, and accepts the group partly', async () => {
      expect(await acknowledge(partlyBad)).toEqual([
        'AK1*PO*907*005010',
        'AK2*850*0001',
        'AK5*A',
        'AK2*850*0002',
        'AK3*PO1*6**8',
        'AK4*2**6*four',
        'AK5*R*5',
        'AK9*P*2*2*1',
      ]);
    });

    it('rejects a set whose SE01 is wrong with AK5 code 4', async () => {
      const acks = await acknowledge(edit(good, 'SE*8*0002', 'SE*7*0002'));
      expect(acks.slice(3)).toEqual(['AK2*850*0002', 'AK5*R*4', 'AK9*P*2*2*1']);
    });

    it('rejects a set that is not an 850 with AK5 code 1', async () => {
      const withAck = edit(edit(good, 'GE*2*907', 'GE*3*907'), 'GE*3*907~\n', 'ST*855*0003~\nBAK*00*AD*PO-1*20261101~\nSE*3*0003~\nGE*3*907~\n');
      const acks = await acknowledge(withAck);
      expect(acks.slice(5)).toEqual(['AK2*855*0003', 'AK5*R*1', 'AK9*P*3*3*2']);
    });

    it('accepts a set with errors noted (E) when the order was kept with a warning', async () => {
      const acks = await acknowledge(edit(good, 'CTT*3~', 'CTT*4~'));
      expect(acks.slice(1, 5)).toEqual(['AK2*850*0001', 'AK3*CTT*21**8', 'AK4*1**6*4', 'AK5*E*5']);
      expect(acks.at(-1)).toBe('AK9*E*2*2*2');
    });
  });

  describe('when the group itself is bad', () => {
    it('rejects it with AK905 2 for an unsupported version, and every set in it', async () => {
      const acks = await acknowledge(edit(good, '*X*005010~', '*X*003020~'));
      expect(acks).toEqual(['AK1*PO*907*003020', 'AK2*850*0001', 'AK5*R', 'AK2*850*0002', 'AK5*R', 'AK9*R*2*2*0*2']);
    });

    it('rejects it with AK905 5 when GE01 miscounts', async () => {
      expect((await acknowledge(edit(good, 'GE*2*907', 'GE*3*907'))).at(-1)).toBe('AK9*R*3*2*0*5');
    });
  });

  describe('when the interchange itself was unreadable', () => {
    it('refuses to write a 997: that answer is a TA1', async () => {
      const broken = await parse(edit(good, 'IEA*1*000000907', 'IEA*1*000000908'));
      await expect(generate997(broken, outbound())).rejects.toThrow(HubError);
      await expect(generate997(broken, outbound())).rejects.toMatchObject({ code: 'x12.nothing_to_acknowledge' });
    });
  });
});
