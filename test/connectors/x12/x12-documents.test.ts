import { invoiceOf } from '../../../connectors/documents/order-documents';
import { acknowledgeX12, x12DocumentWriter } from '../../../connectors/x12/x12-documents';
import { ValidationError } from '../../../core/errors/validation.error';
import { makeOrder } from '../../support/order-factory';
import { edit, fixture, parse, readBack } from './x12-harness';

/** The store's sequences as a map of counters, recording which scopes were drawn from. */
function sequences() {
  const counters = new Map<string, number>();
  return {
    counters,
    next: async (scope: string) => {
      counters.set(scope, (counters.get(scope) ?? 0) + 1);
      return counters.get(scope)!;
    },
  };
}

const now = new Date('2026-11-23T10:55:00Z');
const good = fixture('850-5010-two-orders.edi');
const acks = (body: Buffer) => readBack(body).segments.filter((s) => /^AK\d\*/.test(s));

describe('X12 acknowledgements for the hub', () => {
  it('answers the interchange sender with a 997 numbered from that partner’s own sequences', async () => {
    const numbers = sequences();
    const document = await acknowledgeX12(await parse(good), { sequences: numbers, now, ourId: 'ZZ:ORDERHUB', duplicate: false });
    expect(acks(document!.body)).toEqual(['AK1*PO*907*005010', 'AK2*850*0001', 'AK5*A', 'AK2*850*0002', 'AK5*A', 'AK9*A*2*2*2']);
    expect(readBack(document!.body).isa).toContain('*ZZ*ORDERHUB       *ZZ*HARBORCO       *');
    expect([...numbers.counters.keys()]).toEqual(['x12:isa:ZZ:ORDERHUB:ZZ:HARBORCO', 'x12:gs:ZZ:ORDERHUB:ZZ:HARBORCO', 'x12:st:ZZ:ORDERHUB:ZZ:HARBORCO']);
  });

  it('rejects every set and group of a duplicate interchange', async () => {
    const document = await acknowledgeX12(await parse(good), { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: true });
    expect(acks(document!.body)).toEqual(['AK1*PO*907*005010', 'AK2*850*0001', 'AK5*R', 'AK2*850*0002', 'AK5*R', 'AK9*R*2*2*0']);
  });

  it('answers a 004010 group in 004010', async () => {
    const v4010 = edit(edit(good, '*^*00501*', '*U*00401*'), 'X*005010~', 'X*004010~');
    const document = await acknowledgeX12(await parse(v4010), { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: false });
    expect(acks(document!.body)[0]).toBe('AK1*PO*907');
    expect(readBack(document!.body).isa).toContain('*U*00401*');
  });

  describe('when the envelope cannot be read', () => {
    it('answers a TA1 rejecting the interchange, alone: no 997, no GS or ST number drawn', async () => {
      const numbers = sequences();
      const truncated = good.slice(0, good.indexOf('GE*2*907'));
      const document = await acknowledgeX12(await parse(truncated), { sequences: numbers, now, ourId: 'ZZ:ORDERHUB', duplicate: false });
      expect(document).toMatchObject({ format: 'x12-ta1', fileName: 'TA1-000000001.x12' });
      const { isa, segments } = readBack(document!.body);
      expect(isa).toContain('*ZZ*ORDERHUB       *ZZ*HARBORCO       *');
      expect(segments).toEqual(['TA1*000000907*261103*0912*R*023', 'IEA*0*000000001']);
      expect([...numbers.counters.keys()]).toEqual(['x12:isa:ZZ:ORDERHUB:ZZ:HARBORCO']);
    });

    it('answers in 004010 an interchange whose ISA12 is 00401', async () => {
      const v4010 = edit(edit(good, '*^*00501*', '*U*00401*'), 'IEA*1*000000907', 'IEA*1*000000908');
      const document = await acknowledgeX12(await parse(v4010), { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: false });
      expect(readBack(document!.body).isa).toContain('*U*00401*');
      expect(readBack(document!.body).segments[0]).toBe('TA1*000000907*261103*0912*R*001');
    });

    it('has nothing to say, and draws no number, when the ISA does not name who sent it', async () => {
      const numbers = sequences();
      const nameless = edit(good, '*ZZ*HARBORCO       *', '*ZZ*               *');
      expect(await acknowledgeX12(await parse(nameless.slice(0, nameless.indexOf('GE*2*907'))), { sequences: numbers, now, ourId: 'ZZ:ORDERHUB', duplicate: false })).toBeUndefined();
      expect(numbers.counters.size).toBe(0);
    });

    it('has nothing to say when the partner mapping is invalid: our configuration, not the interchange, is at fault', async () => {
      const result = await parse(good, { limits: { maxBytes: -1 } });
      expect(result).toMatchObject({ ok: false, code: 'mapping.invalid' });
      expect(await acknowledgeX12(result, { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: false })).toBeUndefined();
    });
  });

  describe('when the sender asks for a TA1 (ISA14 = 1)', () => {
    const asking = edit(good, '*000000907*0*P*', '*000000907*1*P*');

    it('puts a TA1 accepting the envelope before the 997 group, in one interchange', async () => {
      const document = await acknowledgeX12(await parse(asking), { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: false });
      expect(document!.format).toBe('x12-997');
      const { segments } = readBack(document!.body);
      expect(segments.slice(0, 2)).toEqual(['TA1*000000907*261103*0912*A*000', 'GS*FA*ORDERHUB*HARBORCO*20261123*1055*1*X*005010']);
      expect(acks(document!.body)).toEqual(['AK1*PO*907*005010', 'AK2*850*0001', 'AK5*A', 'AK2*850*0002', 'AK5*A', 'AK9*A*2*2*2']);
      expect(segments.at(-1)).toBe('IEA*1*000000001');
    });

    it('sends no TA1 for a duplicate: its 997 already rejects everything, and the interchange is answered once', async () => {
      const document = await acknowledgeX12(await parse(asking), { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: true });
      const { segments } = readBack(document!.body);
      expect(segments.filter((s) => s.startsWith('TA1*'))).toEqual([]);
      expect(acks(document!.body).at(-1)).toBe('AK9*R*2*2*0');
    });

    it('answers an interchange without a functional group with the TA1 alone', async () => {
      const empty = `${asking.slice(0, asking.indexOf('GS*'))}IEA*0*000000907~\n`;
      const document = await acknowledgeX12(await parse(empty), { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: false });
      expect(readBack(document!.body).segments).toEqual(['TA1*000000907*261103*0912*A*000', 'IEA*0*000000001']);
    });
  });

  it('says nothing to an interchange holding only TA1 segments (a partner answering us) that asks for nothing', async () => {
    const theirTa1 = `${good.slice(0, good.indexOf('GS*'))}TA1*000000042*261123*1055*A*000~\nIEA*0*000000907~\n`;
    const result = await parse(theirTa1);
    expect(result).toMatchObject({ ok: true, groups: [] });
    expect(await acknowledgeX12(result, { sequences: sequences(), now, ourId: 'ZZ:ORDERHUB', duplicate: false })).toBeUndefined();
  });
});

describe('X12 documents on lifecycle events', () => {
  const context = (numbers = sequences()) => ({ sequences: numbers, now, ourId: 'ZZ:ORDERHUB', partnerId: 'ZZ:HARBORCO', settings: {} });
  const shipped = makeOrder({
    status: 'shipped',
    shipments: [
      {
        carrier: 'SFEX',
        trackingNumber: 'SF1234567890',
        status: 'in_transit',
        events: [
          { eventId: 'e1', at: '2026-11-20T03:15:00.000Z', status: 'picked_up' },
          { eventId: 'e2', at: '2026-11-21T09:00:00.000Z', status: 'in_transit' },
        ],
      },
    ],
    history: [{ at: '2026-11-20T04:00:00.000Z', type: 'transition', actor: 'carrier', from: 'confirmed', to: 'shipped' }],
  });

  it('writes the 856 from the first shipment, shipped when the carrier picked it up', async () => {
    const document = await x12DocumentWriter.write('856', shipped, context());
    const segments = readBack(document.body).segments;
    expect(segments).toEqual(expect.arrayContaining(['BSN*00*SF1234567890*20261120*0315*0004', 'TD5*B*2*SFEX', 'REF*CN*SF1234567890', 'DTM*011*20261120*0315']));
  });

  it('refuses an 856 for an order without a shipment before drawing any control number', async () => {
    const numbers = sequences();
    await expect(x12DocumentWriter.write('856', makeOrder({ status: 'shipped' }), context(numbers))).rejects.toBeInstanceOf(ValidationError);
    expect(numbers.counters.size).toBe(0);
  });

  it('numbers the 810 invoice from the order id and dates it when the order was invoiced', async () => {
    const order = makeOrder({ id: '3f2a9c1e-77b0-4c1d-9e2f-0a1b2c3d4e5f', status: 'invoiced', history: [{ at: '2026-11-30T16:00:00.000Z', type: 'transition', actor: 'erp', from: 'accepted', to: 'invoiced' }] });
    expect(invoiceOf(order)).toEqual({ invoiceNumber: 'INV-3F2A9C1E77B0', invoiceDate: '2026-11-30' });
    const document = await x12DocumentWriter.write('810', order, context());
    expect(readBack(document.body).segments.find((s) => s.startsWith('BIG*'))).toBe('BIG*20261130*INV-3F2A9C1E77B0*20260302*PO-1001');
  });

  it('writes in 004010 with test usage when the settings say so', async () => {
    const document = await x12DocumentWriter.write('855', makeOrder(), { ...context(), settings: { version: '004010', usage: 'T' } });
    expect(readBack(document.body).isa).toMatch(/\*U\*00401\*000000001\*0\*T\*>$/);
  });
});
