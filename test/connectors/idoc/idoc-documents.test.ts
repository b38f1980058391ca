import { acknowledgements } from '../../../connectors/documents/acknowledgements';
import { documentWriter } from '../../../connectors/documents/outbound-documents';
import { folderConfig } from '../../../connectors/folder/folder.config';
import { idocDocumentWriter } from '../../../connectors/idoc/idoc-documents';
import { idocOrders05Parser } from '../../../connectors/idoc/idoc-orders05.parser';
import { ValidationError } from '../../../core/errors/validation.error';
import { draftOf, roundTripOrder } from '../xml/round-trip-order';

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

const now = new Date('2026-11-23T10:55:00Z');
const context = (numbers = sequences(), settings: Record<string, unknown> = {}, partnerId = 'S4HCLNT100') => ({ sequences: numbers, now, ourId: 'ORDERHUB', partnerId, settings });
const confirmed = roundTripOrder({ status: 'confirmed' });
const parse = (body: Buffer) => idocOrders05Parser.parse(body, { mapping: {} });

describe('SAP IDoc ORDERS05 on lifecycle events', () => {
  it('is what documents.format idoc names; no IDoc is acknowledged', () => {
    expect(documentWriter('idoc')).toBe(idocDocumentWriter);
    // SAP answers an IDoc with ALEAUD/STATUS IDocs, which the hub neither reads nor writes.
    expect(acknowledgements.get('idoc-orders05')).toBeUndefined();
  });

  it('pushes the confirmed order as an ORDERS05 the hub’s own parser reads back, from us to SAP', async () => {
    const document = await idocDocumentWriter.write('ORDERS05', confirmed, context());
    expect(document).toMatchObject({ format: 'idoc-orders05', fileName: 'ORDERS05_0000000000000001.xml' });
    const result = await parse(document.body);
    expect(result.interchange).toEqual({ sender: 'ORDERHUB', receiver: 'S4HCLNT100', controlNumber: '0000000000000001' });
    const { email: _, ...contact } = confirmed.customer.contact!; // ORDERS05 has no e-mail field
    expect(result.orders[0]?.draft).toEqual({ ...draftOf(confirmed), customer: { ...confirmed.customer, contact }, claimedTotals: { net: confirmed.totals.net } });
  });

  it('never reuses a DOCNUM: one series per SAP system, drawn on every write', async () => {
    const numbers = sequences();
    const docnums = [];
    for (const partnerId of ['S4HCLNT100', 'S4HCLNT100', 'ECCCLNT800']) {
      const result = await parse((await idocDocumentWriter.write('ORDERS05', confirmed, context(numbers, {}, partnerId))).body);
      docnums.push(result.interchange?.controlNumber);
    }
    expect(docnums).toEqual(['0000000000000001', '0000000000000002', '0000000000000001']);
    expect([...numbers.counters.keys()]).toEqual(['idoc:docnum:S4HCLNT100', 'idoc:docnum:ECCCLNT800']);
  });

  it('writes the partner types, ports and sales area the settings give', async () => {
    // SAP's partner profile may know the sender as a customer (KU) rather than a logical system.
    const settings = { sender: { partnerType: 'KU', port: 'HUBPORT' }, receiver: { port: 'SAPS4H' }, salesArea: { salesOrganization: '1000', distributionChannel: '10', division: '00' } };
    const xml = (await idocDocumentWriter.write('ORDERS05', confirmed, context(sequences(), settings))).body.toString('utf8').replace(/>\s+</g, '><');
    expect(xml).toContain('<SNDPOR>HUBPORT</SNDPOR><SNDPRT>KU</SNDPRT><SNDPRN>ORDERHUB</SNDPRN><RCVPOR>SAPS4H</RCVPOR><RCVPRT>LS</RCVPRT><RCVPRN>S4HCLNT100</RCVPRN>');
    expect(xml).toContain('<E1EDK14 SEGMENT="1"><QUALF>008</QUALF><ORGID>1000</ORGID></E1EDK14>');
  });

  it('checks its settings when the config loads', () => {
    const config = (settings: Record<string, unknown>) =>
      folderConfig.safeParse({ id: 'sap', kind: 'folder', path: '/srv/idoc/sap', partner: { ourId: 'ORDERHUB', theirId: 'S4HCLNT100' }, documents: { format: 'idoc', on: { 'order.confirmed': 'ORDERS05' }, settings } });
    expect(config({ receiver: { port: 'SAPS4H' } }).success).toBe(true);
    const refused = config({ receiver: { port: 'A-PORT-TOO-LONG' }, salesArea: { salesOrganization: '1000' } });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.path.join('.'))).toEqual([
      'documents.settings.receiver.port',
      'documents.settings.salesArea.distributionChannel',
      'documents.settings.salesArea.division',
    ]);
  });

  it('refuses an order SAP’s fields cannot hold, naming the field (the delivery is dead-lettered, not retried)', async () => {
    const tooLong = roundTripOrder({ status: 'confirmed', customer: { id: 'CUST-0815', name: 'Hangzhou East China Water Engineering Group Co., Ltd.' } });
    const refused: unknown = await idocDocumentWriter.write('ORDERS05', tooLong, context()).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ category: 'user', code: 'idoc.order_does_not_fit', details: [{ path: 'customer.name' }] });
  });
});
