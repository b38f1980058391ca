import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboundDocument } from '../../../connectors/connector';
import { acknowledgements } from '../../../connectors/documents/acknowledgements';
import { invoiceOf } from '../../../connectors/documents/order-documents';
import { documentWriter } from '../../../connectors/documents/outbound-documents';
import { readEnvelope } from '../../../connectors/edifact/edifact.envelope';
import { acknowledgeEdifact, edifactDocumentWriter } from '../../../connectors/edifact/edifact-documents';
import { folderConfig } from '../../../connectors/folder/folder.config';
import { ValidationError } from '../../../core/errors/validation.error';
import { makeOrder } from '../../support/order-factory';
import { interchange, NOW, ORDER_BODY, parse, plain, segmentsOf } from './edifact.harness';

/** The store's sequences as counters per scope, recording which scopes were drawn from. */
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

/** Every segment of a written document, after reading its envelope back with the hub's own reader. */
function readBack(document: OutboundDocument): string[] {
  const segments = segmentsOf(document);
  expect(readEnvelope(segments).issues).toEqual([]);
  return plain(segments);
}

const ourId = 'ZZ:ORDERHUB';
const acknowledge = async (input: string | Buffer, numbers = sequences(), duplicate = false) => acknowledgeEdifact(await parse(input), { sequences: numbers, now: NOW, ourId, duplicate });
/** UCI and below: what the CONTRL says about the interchange. */
const report = (document: OutboundDocument | undefined) => readBack(document!).filter((s) => /^UC[IFMSD]\+/.test(s));

describe('EDIFACT CONTRL for the hub', () => {
  it('is what the registry answers an edifact-orders document with', () => {
    expect(acknowledgements.get('edifact-orders')).toBe(acknowledgeEdifact);
  });

  it('accepts a good interchange, addressed back to its sender and numbered from that partner’s own series', async () => {
    const numbers = sequences();
    const document = await acknowledge(interchange([ORDER_BODY, ORDER_BODY]), numbers);
    expect(document).toMatchObject({ format: 'edifact-contrl', fileName: 'CONTRL-1.edi' });
    // The interchange came from SENDER:ZZ to RECEIVER:ZZ; the CONTRL goes from us to SENDER.
    expect(readBack(document!).slice(0, 2)).toEqual(['UNB+UNOC:3+ORDERHUB:ZZ+SENDER:ZZ+261123:1055+1', 'UNH+1+CONTRL:D:3:UN']);
    expect(report(document)).toEqual(['UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+7', 'UCM+1+ORDERS:D:96A:UN+7', 'UCM+2+ORDERS:D:96A:UN+7']);
    expect([...numbers.counters.keys()]).toEqual(['edifact:unb:ZZ:ORDERHUB:ZZ:SENDER', 'edifact:unh:ZZ:ORDERHUB:ZZ:SENDER']);
  });

  it('rejects only the bad message of a partly bad interchange', async () => {
    const document = await acknowledge(readFileSync(join(__dirname, '../../fixtures/edifact/orders-unoy-chinese-two-messages.edi')));
    expect(readBack(document!)[0]).toMatch(/^UNB\+UNOC:3\+ORDERHUB:ZZ\+91310000MA1FL0XX1X:ZZZ\+/);
    expect(report(document)).toEqual(['UCI+CN0001+91310000MA1FL0XX1X:ZZZ+SUPPLIER-CN:ZZZ+7', 'UCM+1+ORDERS:D:96A:UN+7', 'UCM+2+ORDERS:D:96A:UN+4', 'UCS+9', 'UCD+29+1:2']);
  });

  it('rejects a duplicate interchange whole (0085 code 26)', async () => {
    expect(report(await acknowledge(interchange([ORDER_BODY]), sequences(), true))).toEqual(['UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+4+26']);
  });

  it('rejects an interchange whose envelope is broken, since its UNB was read', async () => {
    const truncated = interchange([ORDER_BODY]).replace("UNZ+1+IC1'\n", '');
    expect(report(await acknowledge(truncated))).toEqual(['UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+4+13+UNZ']);
  });

  it('has no one to answer when no UNB naming a sender was read, and draws no number', async () => {
    const numbers = sequences();
    expect(await acknowledge(interchange([ORDER_BODY]).replace(/^UNB[^']*'\n/, ''), numbers)).toBeUndefined();
    expect(await acknowledge(interchange([ORDER_BODY]).replace('+SENDER:ZZ+', '++'), numbers)).toBeUndefined();
    expect(numbers.counters.size).toBe(0);
  });
});

describe('EDIFACT documents on lifecycle events', () => {
  const context = (numbers = sequences(), settings = {}) => ({ sequences: numbers, now: NOW, ourId, partnerId: 'ZZ:SENDER', settings });
  const confirmed = makeOrder({ status: 'confirmed', poNumber: 'PO-4711' });

  it('is what documents.format edifact names, for the types documents.on may use', () => {
    expect(documentWriter('edifact')).toBe(edifactDocumentWriter);
    const config = (on: Record<string, string>, settings = {}) =>
      folderConfig.safeParse({ id: 'werk', kind: 'folder', path: '/srv/edi/werk', partner: { ourId, theirId: 'ZZ:SENDER' }, documents: { format: 'edifact', on, settings } });
    expect(config({ 'order.confirmed': 'ORDRSP', 'order.shipped': 'DESADV', 'order.invoiced': 'INVOIC' }, { version: 'D:01B' }).success).toBe(true);
    const refused = config({ 'order.confirmed': '855' }, { version: 'D:99Z', usage: 'T' });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('.'))).toEqual(['documents.on.order.confirmed', 'documents.settings.version', 'documents.settings']);
  });

  it('writes the ORDRSP to the partner, accepting the order by its PO number', async () => {
    const segments = readBack(await edifactDocumentWriter.write('ORDRSP', confirmed, context()));
    expect(segments.slice(0, 3)).toEqual(['UNB+UNOC:3+ORDERHUB:ZZ+SENDER:ZZ+261123:1055+1', 'UNH+1+ORDRSP:D:96A:UN', 'BGM+231+1+29']);
    expect(segments).toContain('RFF+ON:PO-4711');
  });

  it('writes D:01B when the settings say so', async () => {
    expect(readBack(await edifactDocumentWriter.write('ORDRSP', confirmed, context(sequences(), { version: 'D:01B' })))[1]).toBe('UNH+1+ORDRSP:D:01B:UN');
  });

  it('never reuses a control number: CONTRLs and lifecycle documents to one partner share its series', async () => {
    const numbers = sequences();
    const written = [
      await acknowledge(interchange([ORDER_BODY]), numbers),
      await edifactDocumentWriter.write('ORDRSP', confirmed, context(numbers)),
      await acknowledge(interchange([ORDER_BODY], { control: 'IC2' }), numbers),
      await edifactDocumentWriter.write('INVOIC', confirmed, context(numbers)),
    ];
    expect(written.map((d) => d!.fileName)).toEqual(['CONTRL-1.edi', 'ORDRSP-2.edi', 'CONTRL-3.edi', 'INVOIC-4.edi']);
    expect(written.map((d) => readBack(d!)[1]!.split('+')[1])).toEqual(['1', '2', '3', '4']);
  });

  it('writes the DESADV from the first shipment, despatched when the carrier picked it up', async () => {
    const shipped = makeOrder({
      status: 'shipped',
      poNumber: 'PO-4711',
      shipments: [{ carrier: 'DB Schenker', trackingNumber: 'SCH-778812', status: 'in_transit', events: [{ eventId: 'e1', at: '2026-11-20T03:15:00.000Z', status: 'picked_up' }] }],
    });
    const segments = readBack(await edifactDocumentWriter.write('DESADV', shipped, context()));
    expect(segments).toEqual(expect.arrayContaining(['UNH+1+DESADV:D:96A:UN', 'DTM+11:202611200315:203', 'RFF+CN:SCH-778812', 'TDT+20++++:::DB Schenker']));
  });

  it('refuses a DESADV without a shipment, and any document without a PO number, before drawing a control number', async () => {
    const numbers = sequences();
    await expect(edifactDocumentWriter.write('DESADV', makeOrder({ status: 'shipped' }), context(numbers))).rejects.toBeInstanceOf(ValidationError);
    await expect(edifactDocumentWriter.write('ORDRSP', makeOrder({ status: 'confirmed', poNumber: undefined }), context(numbers))).rejects.toMatchObject({ details: [{ path: 'poNumber' }] });
    expect(numbers.counters.size).toBe(0);
  });

  it('numbers the INVOIC as the X12 810 is numbered, from the order id', async () => {
    const order = makeOrder({ id: '3f2a9c1e-77b0-4c1d-9e2f-0a1b2c3d4e5f', status: 'invoiced' });
    const segments = readBack(await edifactDocumentWriter.write('INVOIC', order, context()));
    expect(invoiceOf(order).invoiceNumber).toBe('INV-3F2A9C1E77B0');
    expect(segments.find((s) => s.startsWith('BGM+'))).toBe('BGM+380+INV-3F2A9C1E77B0+9');
  });
});
