import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalOrder } from '../../core/order/order.types';
import type { Delivery, RawMessage } from '../../core/store/store.port';
import { eventually, orderBody, startTestHub, type TestHub } from '../support/hub-harness';
import { startTestRedis, type TestRedis } from '../support/redis-server';
import { startTestSshd, type TestSshd } from '../support/sshd';
import { x12Interchange, type X12Order } from '../support/x12-interchange';

let redis: TestRedis;
let sshd: TestSshd;
let t: TestHub;
let base: string;
const root = (id: string) => (id === 'harbor-sftp' ? join(sshd.filesDir, id) : join(base, id));

/** A weekday about two months out: past the lead time and inside the horizon on whatever day the tests run. */
const due = (() => {
  const day = new Date(Date.now() + 60 * 86_400_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
})();
const partner = { ourId: 'ZZ:ORDERHUB', theirId: 'ZZ:HARBORCO' };
const drop = { settle: 'rename', pollIntervalMs: 100 };

beforeAll(async () => {
  redis = await startTestRedis();
  sshd = await startTestSshd();
  base = mkdtempSync(join(tmpdir(), 'order-hub-documents-'));
  for (const id of ['harbor', 'sheets', 'acme', 'werk', 'harbor-sftp']) mkdirSync(join(root(id), 'inbox'), { recursive: true });
  t = await startTestHub(redis.url, {
    connectors: [
      { id: 'harbor', kind: 'folder', path: root('harbor'), ...drop, partner },
      { id: 'acme', kind: 'folder', path: root('acme'), ...drop, partner: { ourId: 'ZZ:ORDERHUB', theirId: 'ZZ:ACME' }, documents: { format: 'x12', on: { 'order.confirmed': '855' } } },
      { id: 'werk', kind: 'folder', path: root('werk'), ...drop, partner, documents: { format: 'edifact', on: { 'order.confirmed': 'ORDRSP' } } },
      {
        id: 'sheets',
        kind: 'folder',
        path: root('sheets'),
        ...drop,
        mappings: {
          'spreadsheet-order': {
            lines: { sku: 'Item', quantity: 'Qty', unitPrice: 'Price' },
            order: { poNumber: 'PO', customerName: 'Customer', currency: { value: 'CNY' }, deliveryDate: 'Due', paymentTerms: { value: '30% advance, 70% on acceptance' } },
          },
        },
      },
      {
        id: 'harbor-sftp',
        kind: 'sftp',
        host: sshd.host,
        port: sshd.port,
        username: sshd.username,
        privateKey: sshd.privateKey.toString('utf8'),
        hostKeySha256: sshd.hostKeySha256,
        root: root('harbor-sftp'),
        ...drop,
        pollIntervalMs: 200,
        partner,
      },
    ],
    routes: [{ on: 'order.confirmed', to: ['acme', 'werk'] }],
    pipeline: { deliveryAttempts: 30, backoffMs: 50, maxBackoffMs: 300, outboxPollMs: 50 },
  } as never);
  const put = (path: string, json: unknown) => t.api(path, { method: 'PUT', json }).then((r) => expect(r.status).toBe(200));
  await put('/api/v1/inventory', { levels: ['PUMP-200', 'VALVE-DN50'].map((sku) => ({ sku, location: 'main', onHand: '100000' })) });
  await put('/api/v1/prices', {
    prices: [
      { sku: 'PUMP-200', currency: 'USD', unitPrice: '1480.00' },
      { sku: 'VALVE-DN50', currency: 'USD', unitPrice: '460.00' },
      { sku: 'PUMP-200', currency: 'CNY', unitPrice: '12500.00' },
      { sku: 'VALVE-DN50', currency: 'CNY', unitPrice: '380.50' },
    ],
  });
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await sshd?.stop();
  await redis?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

const files = (id: string, folder: string) => (existsSync(join(root(id), folder)) ? readdirSync(join(root(id), folder)).sort() : []);
const raws = async (connectorId: string) => (await t.hub.store.raw.list({ connectorId, limit: 500 })).items;

/** The raw message kept for a dropped file, once intake has finished with it. */
function rawFor(connectorId: string, fileName: string): Promise<RawMessage> {
  return eventually(async () => (await raws(connectorId)).find((m) => m.meta?.fileName === fileName && m.status !== 'received'), `${fileName} taken through intake`);
}

/** The acknowledgement answering `raw`, read from the connector's outbox, and its AK segments. */
async function ackFor(connectorId: string, raw: RawMessage): Promise<{ name: string; body: string; aks: string[] }> {
  const name = await eventually(async () => files(connectorId, 'outbox').find((f) => f.endsWith(`-${raw.id}.x12`)), `the acknowledgement of ${raw.id}`);
  const body = readFileSync(join(root(connectorId), 'outbox', name), 'utf8');
  return { name, body, aks: body.split(/~\s*/).filter((s) => /^AK\d\*/.test(s)) };
}

function confirmed(orderId: string): Promise<CanonicalOrder> {
  return eventually(async () => {
    const order = (await (await t.api(`/api/v1/orders/${orderId}`)).json()) as CanonicalOrder;
    return order.status === 'confirmed' ? order : undefined;
  }, `order ${orderId} confirmed`);
}

let pumps = 0;
/** An order for pumps and valves; each asks for a different number of pumps, so none is a duplicate of another by content. */
const order = (poNumber: string, quantity = String(++pumps)): X12Order => ({
  poNumber,
  deliveryDate: due.replaceAll('-', ''),
  lines: [
    { sku: 'PUMP-200', quantity, unitPrice: '1480.00' },
    { sku: 'VALVE-DN50', quantity: '10', unitPrice: '460.00' },
  ],
});
const twoOrders = x12Interchange({ controlNumber: 101, orders: [order('PO-E2E-101-1'), order('PO-E2E-101-2')] });

describe('when an X12 850 interchange with two orders is dropped in the inbox', () => {
  it('confirms both orders, moves the file to done/ and answers a 997 accepting both', async () => {
    writeFileSync(join(root('harbor'), 'inbox', 'po-101.edi'), twoOrders);
    const raw = await rawFor('harbor', 'po-101.edi');
    expect(raw).toMatchObject({ status: 'processed', format: 'x12-850' });
    const orders = await Promise.all(raw.orderIds.map(confirmed));
    expect(orders.map((o) => o.poNumber).sort()).toEqual(['PO-E2E-101-1', 'PO-E2E-101-2']);
    expect(files('harbor', 'inbox')).toEqual([]);
    expect(files('harbor', 'done')).toEqual([expect.stringMatching(/_po-101\.edi$/)]);

    const ack = await ackFor('harbor', raw);
    expect(ack.aks).toEqual(['AK1*PO*101*005010', 'AK2*850*0001', 'AK5*A', 'AK2*850*0002', 'AK5*A', 'AK9*A*2*2*2']);
    expect(ack.body).toMatch(/^ISA\*00\* {10}\*00\* {10}\*ZZ\*ORDERHUB {7}\*ZZ\*HARBORCO {7}\*/);
    const kept = (await raws('harbor')).find((m) => m.channel === 'outbound' && m.meta?.answers === raw.id)!;
    const audit = (await (await t.api(`/api/v1/raw/${kept.id}`)).json()) as Record<string, unknown>;
    expect(audit).toMatchObject({ channel: 'outbound', format: 'x12-997', status: 'processed', body: ack.body, orderIds: raw.orderIds });
  });
});

describe('when the same interchange comes again', () => {
  it('re-enveloped under another name: takes no order, quarantines it as interchange.duplicate and answers a 997 rejecting it', async () => {
    const resent = x12Interchange({ controlNumber: 101, orders: [order('PO-E2E-101-1'), order('PO-E2E-101-2')], sentAt: '2026-11-23T15:40:00Z' });
    writeFileSync(join(root('harbor'), 'inbox', 'po-101-resent.edi'), resent);
    const raw = await rawFor('harbor', 'po-101-resent.edi');
    expect(raw).toMatchObject({ status: 'quarantined', reason: 'interchange.duplicate', orderIds: [] });
    expect((await ackFor('harbor', raw)).aks).toEqual(['AK1*PO*101*005010', 'AK2*850*0001', 'AK5*R', 'AK2*850*0002', 'AK5*R', 'AK9*R*2*2*0']);
    const orders = (await t.hub.store.orders.list({ customer: 'HC-100', limit: 500 })).items;
    expect(orders.filter((o) => o.poNumber === 'PO-E2E-101-1')).toHaveLength(1);
  });

  it('byte for byte under another name: is recognised as the same file, kept once and answered once', async () => {
    const before = { raws: (await raws('harbor')).length, outbox: files('harbor', 'outbox').length };
    writeFileSync(join(root('harbor'), 'inbox', 'po-101-copy.edi'), twoOrders);
    await eventually(async () => (files('harbor', 'done').some((f) => f.endsWith('_po-101-copy.edi')) ? true : undefined), 'the copy moved to done/');
    expect((await raws('harbor')).length).toBe(before.raws);
    expect(files('harbor', 'outbox')).toHaveLength(before.outbox);
  });
});

describe('when one set of the interchange is bad', () => {
  it('takes the good order and answers AK5*R for the bad set, naming its element', async () => {
    const partlyBad = x12Interchange({ controlNumber: 102, orders: [order('PO-E2E-102-1'), order('PO-E2E-102-2', 'four')] });
    writeFileSync(join(root('harbor'), 'inbox', 'po-102.edi'), partlyBad);
    const raw = await rawFor('harbor', 'po-102.edi');
    expect(raw.status).toBe('processed');
    expect(raw.orderIds).toHaveLength(1);
    expect((await confirmed(raw.orderIds[0]!)).poNumber).toBe('PO-E2E-102-1');
    expect((await ackFor('harbor', raw)).aks).toEqual(['AK1*PO*102*005010', 'AK2*850*0001', 'AK5*A', 'AK2*850*0002', 'AK3*PO1*11**8', 'AK4*2**6*four', 'AK5*R*5', 'AK9*P*2*2*1']);
  });
});

describe('when a file is not a document', () => {
  it('moves it to failed/ and keeps it raw, quarantined as format.unknown', async () => {
    // A GIF: images OCR reads (PNG, JPEG, TIFF, PDF) are contract scans, taken and quarantined by intake if unreadable.
    const garbage = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(64, 0)]);
    writeFileSync(join(root('harbor'), 'inbox', 'scan.bin'), garbage);
    const raw = await rawFor('harbor', 'scan.bin');
    expect(raw).toMatchObject({ status: 'quarantined', reason: 'format.unknown' });
    expect(raw.body.equals(garbage)).toBe(true);
    // The raw message is kept before the file is moved, so the move may still be under way.
    await eventually(async () => (files('harbor', 'failed').length > 0 ? true : undefined), 'scan.bin moved to failed/');
    expect(files('harbor', 'failed')).toEqual([expect.stringMatching(/_scan\.bin$/)]);
  });
});

/** The one answer in the outbox for `raw`, and its TA1 segments: exactly one file, whatever it is. */
async function ta1For(connectorId: string, raw: RawMessage): Promise<{ name: string; ta1s: string[]; groups: number }> {
  const { name, body } = await ackFor(connectorId, raw);
  expect(files(connectorId, 'outbox').filter((f) => f.includes(raw.id))).toEqual([name]);
  const segments = body.split(/~\s*/);
  return { name, ta1s: segments.filter((s) => s.startsWith('TA1*')), groups: segments.filter((s) => s.startsWith('GS*')).length };
}

describe('when an interchange is truncated', () => {
  it('keeps it quarantined with a reason naming the segment, and answers it with a TA1 rejecting it (023), not a 997', async () => {
    const whole = x12Interchange({ controlNumber: 103, orders: [order('PO-E2E-103-1')] });
    writeFileSync(join(root('harbor'), 'inbox', 'po-103.edi'), whole.slice(0, whole.indexOf('CTT*')));
    const raw = await rawFor('harbor', 'po-103.edi');
    expect(raw).toMatchObject({ status: 'quarantined', reason: 'x12.envelope', orderIds: [] });
    expect(raw.details).toEqual([expect.objectContaining({ path: 'segment 14 (PO1)', code: 'x12.truncated' })]);

    const answer = await ta1For('harbor', raw);
    expect(answer.name).toMatch(new RegExp(`^TA1-\\d{9}-${raw.id}\\.x12$`));
    expect(answer).toMatchObject({ ta1s: ['TA1*000000103*261123*0912*R*023'], groups: 0 });
    const kept = (await raws('harbor')).find((m) => m.channel === 'outbound' && m.meta?.answers === raw.id)!;
    expect(kept).toMatchObject({ format: 'x12-ta1', status: 'processed', orderIds: [] });
  });
});

describe('when the envelope of an interchange is broken', () => {
  it.each([
    ['IEA02 does not repeat ISA13', 104, (edi: string) => edi.replace('IEA*1*000000104', 'IEA*1*000000105'), 'TA1*000000104*261123*0912*R*001'],
    ['IEA01 counts two groups', 105, (edi: string) => edi.replace('IEA*1*', 'IEA*2*'), 'TA1*000000105*261123*0912*R*021'],
    ['ISA06 is a character short', 106, (edi: string) => edi.replace('*HARBORCO       *', '*HARBORCO      *'), 'TA1*000000106*261123*0912*R*006'],
  ])('takes nothing when %s, and the sender finds one TA1 rejecting it in the outbox', async (_case, controlNumber, breakIt, ta1) => {
    const fileName = `po-${controlNumber}.edi`;
    writeFileSync(join(root('harbor'), 'inbox', fileName), breakIt(x12Interchange({ controlNumber, orders: [order(`PO-E2E-${controlNumber}-1`)] })));
    const raw = await rawFor('harbor', fileName);
    expect(raw).toMatchObject({ status: 'quarantined', reason: 'x12.envelope', orderIds: [] });
    expect(await ta1For('harbor', raw)).toMatchObject({ ta1s: [ta1], groups: 0 });
  });
});

describe('when the sender asks for a TA1 (ISA14 = 1) on a sound interchange', () => {
  it('confirms its order and answers one file: a TA1 accepting the envelope, then the 997 group', async () => {
    const asking = x12Interchange({ controlNumber: 107, orders: [order('PO-E2E-107-1')] }).replace('*000000107*0*P*', '*000000107*1*P*');
    writeFileSync(join(root('harbor'), 'inbox', 'po-107.edi'), asking);
    const raw = await rawFor('harbor', 'po-107.edi');
    await confirmed(raw.orderIds[0]!);
    expect(await ta1For('harbor', raw)).toMatchObject({ ta1s: ['TA1*000000107*261123*0912*A*000'], groups: 1 });
    expect((await ackFor('harbor', raw)).aks).toEqual(['AK1*PO*107*005010', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1']);
  });
});

describe('when a CSV order sheet arrives in a drop with a mapping', () => {
  it('makes one confirmed order per PO of the sheet', async () => {
    const csv = ['PO,Customer,Item,Qty,Price,Due', `PO-CSV-1,上海建工机电有限公司,PUMP-200,2,12500.00,${due}`, `PO-CSV-1,上海建工机电有限公司,VALVE-DN50,20,380.50,${due}`, `PO-CSV-2,上海建工机电有限公司,VALVE-DN50,5,380.50,${due}`];
    writeFileSync(join(root('sheets'), 'inbox', 'orders.csv'), `${csv.join('\n')}\n`);
    const raw = await rawFor('sheets', 'orders.csv');
    expect(raw).toMatchObject({ status: 'processed', format: 'spreadsheet-order' });
    const orders = await Promise.all(raw.orderIds.map(confirmed));
    expect(orders.map((o) => [o.poNumber, o.lines.length]).sort()).toEqual([['PO-CSV-1', 2], ['PO-CSV-2', 1]]);
    expect(files('sheets', 'outbox').filter((f) => f.startsWith('997-'))).toEqual([]);
  });
});

describe('when an interchange is uploaded to the partner’s SFTP server', () => {
  it('confirms its order, moves the file to done/ on the server and writes the 997 to the server’s outbox', async () => {
    writeFileSync(join(root('harbor-sftp'), 'inbox', 'po-201.edi'), x12Interchange({ controlNumber: 201, orders: [order('PO-E2E-201-1')] }));
    const raw = await rawFor('harbor-sftp', 'po-201.edi');
    await confirmed(raw.orderIds[0]!);
    expect(files('harbor-sftp', 'done')).toEqual([expect.stringMatching(/_po-201\.edi$/)]);
    expect((await ackFor('harbor-sftp', raw)).aks).toEqual(['AK1*PO*201*005010', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1']);
  });
});

describe('when order.confirmed is routed to a file drop with documents', () => {
  it('writes the 855 into outbox/ exactly once, although its first attempts failed and were retried', async () => {
    const outbox = join(root('acme'), 'outbox');
    await eventually(async () => (existsSync(outbox) ? true : undefined), 'the acme outbox made by its first poll');
    rmSync(outbox, { recursive: true });
    writeFileSync(outbox, 'a file where the outbox folder should be');

    const posted = await t.api('/api/v1/orders', { role: 'intake', json: orderBody({ poNumber: 'PO-E2E-855' }) });
    const { orderId } = (await posted.json()) as { orderId: string };
    const delivery = () => t.api(`/api/v1/deliveries?orderId=${orderId}&target=acme`).then(async (r) => ((await r.json()) as { items: Delivery[] }).items[0]);
    await eventually(async () => ((await delivery())?.attempts.some((a) => !a.ok) ? true : undefined), 'a failed attempt');
    rmSync(outbox);
    mkdirSync(outbox);
    const done = await eventually(async () => ((await delivery())?.status === 'delivered' ? await delivery() : undefined), 'the delivery');

    expect(done!.attempts[0]).toMatchObject({ ok: false });
    expect(done!.attempts.at(-1)).toMatchObject({ ok: true });
    expect(files('acme', 'outbox').filter((f) => f.includes(orderId))).toEqual([`855-${done!.id}.x12`]);
    const written = readFileSync(join(outbox, `855-${done!.id}.x12`));
    expect(written.toString()).toContain('BAK*00*AD*PO-E2E-855*');
    const kept = (await raws('acme')).filter((m) => m.idempotencyKey === done!.idempotencyKey);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.body.equals(written)).toBe(true);
  });
});

describe('when an EDIFACT ORDERS interchange is dropped in a drop that writes EDIFACT documents', () => {
  it('confirms the order, answers a CONTRL accepting it, and the routed order.confirmed writes one ORDRSP', async () => {
    const message = [
      'BGM+220+PO-E2E-301+9',
      `DTM+2:${due.replaceAll('-', '')}:102`,
      'FTX+AAB+++Net 30 days after acceptance',
      'NAD+BY+HC-100::92++Harbor Construction Inc.',
      'CUX+2:USD:9',
      'LIN+1++PUMP-200:SA',
      `QTY+21:${++pumps}`,
      'PRI+AAA:1480.00',
      'UNS+S',
      'CNT+2:1',
    ];
    const segments = ['UNB+UNOC:3+HARBORCO:ZZ+ORDERHUB:ZZ+261123:0912+301', 'UNH+1+ORDERS:D:96A:UN', ...message, `UNT+${message.length + 2}+1`, 'UNZ+1+301'];
    writeFileSync(join(root('werk'), 'inbox', 'orders-301.edi'), segments.map((s) => `${s}'\n`).join(''));
    const raw = await rawFor('werk', 'orders-301.edi');
    expect(raw).toMatchObject({ status: 'processed', format: 'edifact-orders' });
    const orderId = (await confirmed(raw.orderIds[0]!)).id;

    const outbox = (name: string) => readFileSync(join(root('werk'), 'outbox', name), 'latin1').split("'");
    const contrl = await eventually(async () => files('werk', 'outbox').find((f) => f.startsWith('CONTRL-') && f.endsWith(`-${raw.id}.edi`)), 'the CONTRL');
    expect(outbox(contrl)).toEqual(expect.arrayContaining([expect.stringMatching(/^UNB\+UNOC:3\+ORDERHUB:ZZ\+HARBORCO:ZZ\+/), 'UCI+301+HARBORCO:ZZ+ORDERHUB:ZZ+7', 'UCM+1+ORDERS:D:96A:UN+7']));
    const ordrsp = `ORDRSP-${orderId}-order_confirmed-werk.edi`;
    await eventually(async () => (files('werk', 'outbox').includes(ordrsp) ? true : undefined), 'the ORDRSP');
    expect(files('werk', 'outbox').filter((f) => f.includes(orderId))).toEqual([ordrsp]);
    expect(outbox(ordrsp)).toEqual(expect.arrayContaining([expect.stringMatching(/^BGM\+231\+\d+\+29$/), 'RFF+ON:PO-E2E-301']));
    // Both went to HARBORCO from one series of interchange references, so they never share one.
    const unb05 = (name: string) => outbox(name).find((segment) => segment.startsWith('UNB+'))!.split('+')[5];
    expect(unb05(ordrsp)).not.toBe(unb05(contrl));
  });
});
