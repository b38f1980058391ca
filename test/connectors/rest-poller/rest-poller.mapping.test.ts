import { createHmac } from 'node:crypto';
import { SignatureError } from '../../../core/errors/signature.error';
import { ValidationError } from '../../../core/errors/validation.error';
import { orderDraftSchema } from '../../../core/order/order.schema';
import { restPollerConfig } from '../../../connectors/rest-poller/rest-poller.config';
import { createOrderReader } from '../../../connectors/rest-poller/rest-poller.mapping';
import { createRestPollerWebhooks } from '../../../connectors/rest-poller/rest-poller.webhooks';
import type { CallbackRequest } from '../../../connectors/connector';
import { parseNumbersAsText } from '../../../connectors/rest-poller/number-text-json';
import { MARKET_ORDER_MAPPING } from './market-config';

/** A trade as the Market platform writes it: amounts, quantities and ids as JSON numbers. */
const TRADE = `{"tid":"E20261123104512000001","status":"WAIT_SELLER_SEND_GOODS","update_time":"2026-11-23 10:45:12","currency":"CNY",
"buyer":{"buyer_id":9007199254740993,"nickname":"张工","phone":"13800000000"},
"receiver":{"name":"上海建工机电有限公司","tel":"139","province":"上海市","city":"上海市","district":"浦东新区","address":"张江路 88 号","postal_code":"201203"},
"items":[{"oid":1,"outer_sku_id":"PUMP-200","title":"离心泵","num":2,"price":12500.10,"payment":25000.20},{"oid":2,"outer_sku_id":"VALVE-DN50","title":"阀门","num":1.5,"price":0.1,"payment":0.15}],
"pay":{"total_fee":25000.35,"post_fee":0,"payment":25000.35}}`;

function reader(mapping: Record<string, unknown> = {}) {
  const config = restPollerConfig.parse({
    id: 'market',
    kind: 'rest-poller',
    currency: 'CNY',
    orders: { url: 'https://api.market.example.cn/api/v2/orders', window: { since: 's', format: 'yyyy-MM-dd HH:mm:ss', utcOffset: '+08:00' }, pagination: { type: 'link' }, itemsPath: 'data.orders' },
    mapping: { orderId: 'tid', updatedAt: 'update_time', updatedAtFormat: 'yyyy-MM-dd HH:mm:ss', cancelled: "status = 'TRADE_CLOSED'", order: MARKET_ORDER_MAPPING, ...mapping },
  });
  return { config, reader: createOrderReader(config) };
}

describe('reading a platform order with the configured expressions', () => {
  it('builds the draft with every amount and id exactly as the platform wrote it', async () => {
    const { platformOrderId, draft, cancelled } = await reader().reader.mapOrder(Buffer.from(TRADE));

    expect(platformOrderId).toBe('E20261123104512000001');
    expect(cancelled).toBe(false);
    expect(draft.customer).toEqual({ id: '9007199254740993', name: '上海建工机电有限公司', contact: { name: '张工', phone: '13800000000' } });
    expect(draft.lines).toEqual([
      { lineNo: 1, sku: 'PUMP-200', description: '离心泵', quantity: '2', uom: 'EA', unitPrice: '12500.10' },
      { lineNo: 2, sku: 'VALVE-DN50', description: '阀门', quantity: '1.5', uom: 'EA', unitPrice: '0.1' },
    ]);
    expect(draft.claimedTotals).toEqual({ gross: '25000.35' });
  });

  it('reads the same from the stored snapshot as from the platform page', async () => {
    const { reader: r } = reader();
    const snapshot = await r.snapshot(parseNumbersAsText(TRADE));

    expect(snapshot.platformOrderId).toBe('E20261123104512000001');
    expect(snapshot.updatedAt).toBe('2026-11-23T02:45:12.000Z');
    const fromStore = await r.mapOrder(JSON.parse(snapshot.body.toString('utf8')));
    expect(fromStore.draft.lines[0]).toMatchObject({ unitPrice: '12500.10' });
  });

  it('says the order is cancelled when the platform closed it', async () => {
    const { cancelled } = await reader().reader.mapOrder(Buffer.from(TRADE.replace('WAIT_SELLER_SEND_GOODS', 'TRADE_CLOSED')));
    expect(cancelled).toBe(true);
  });

  it('does decimal arithmetic with the bound $decimal functions (unit price from the line total)', async () => {
    const order = '{ "customer": { "name": receiver.name }, "currency": currency, "lines": [items.{ "sku": outer_sku_id, "quantity": num, "unitPrice": $decimalDiv(payment, num) }], "notes": $decimalSum(items.payment) }';
    const { draft } = await reader({ order }).reader.mapOrder(Buffer.from(TRADE));
    expect(draft.lines.map((l) => l.unitPrice)).toEqual(['12500.1', '0.1']);
    expect(draft.notes).toBe('25000.35');
  });

  it('hands a price made a double with $number to intake as a number, which the draft schema refuses naming the field', async () => {
    const order = '{ "customer": { "name": receiver.name }, "currency": currency, "lines": [items.{ "sku": outer_sku_id, "quantity": num, "unitPrice": $number(price) }] }';
    const { draft } = await reader({ order }).reader.mapOrder(Buffer.from(TRADE));
    const checked = orderDraftSchema.safeParse(draft);
    expect(checked.success).toBe(false);
    expect(checked.error!.issues.map((i) => i.path.join('.'))).toEqual(['lines.0.unitPrice', 'lines.1.unitPrice']);
  });

  it('names the expression when the order has no id', async () => {
    const failure = await reader().reader.mapOrder(Buffer.from(TRADE.replace('"tid":"E20261123104512000001",', ''))).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).details).toEqual([{ path: 'mapping.orderId', message: '`tid` found no order id' }]);
  });

  it('names updatedAt when the modified time does not read, and keeps such an order apart from the poll cursor', async () => {
    const { reader: r } = reader();
    const broken = TRADE.replace('2026-11-23 10:45:12', '2026-11-31 10:45:12');
    const failure = await r.mapOrder(Buffer.from(broken)).catch((err: unknown) => err);
    const snapshot = await r.snapshot(parseNumbersAsText(broken));

    expect((failure as ValidationError).details[0]).toMatchObject({ path: 'mapping.updatedAt' });
    expect(snapshot.updatedAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('names the expression when it fails on the order', async () => {
    const failure = await reader({ order: '{ "lines": [items.{ "quantity": num + 1 }] }' }).reader.mapOrder(Buffer.from(TRADE)).catch((err: unknown) => err);
    expect((failure as ValidationError).details[0]).toMatchObject({ path: 'mapping.order', message: expect.stringMatching(/must evaluate to a number/) });
  });
});

describe('webhooks signed with the configured HMAC header', () => {
  const secret = 'webhook-secret';
  const now = Date.parse('2026-11-23T02:45:30Z');
  const webhookConfig = (extra: Record<string, unknown> = {}) =>
    restPollerConfig.shape.webhook.unwrap().parse({
      secret,
      header: 'X-Market-Signature',
      stringToSign: '{timestamp}.{body}',
      timestampHeader: 'X-Market-Timestamp',
      eventIdHeader: 'X-Market-Delivery-Id',
      orders: 'data.order',
      ...extra,
    });
  const request = (body: string, timestamp: number, signature?: string): CallbackRequest => ({
    headers: {
      'x-market-timestamp': String(timestamp),
      'x-market-delivery-id': 'wh-1',
      'x-market-signature': signature ?? createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64'),
    },
    rawBody: Buffer.from(body),
    query: {},
    receivedAt: now,
  });
  const body = `{"topic":"trade.updated","data":{"order":${TRADE}}}`;
  const webhooks = (extra?: Record<string, unknown>) => createRestPollerWebhooks(webhookConfig(extra), reader().reader, () => now);

  it('accepts a delivery signed over timestamp and raw body, and reads its order as the poll would', async () => {
    const hooks = webhooks();
    const req = request(body, now / 1000);
    expect(() => hooks.verify(req)).not.toThrow();
    const delivery = await hooks.read(req);
    expect(delivery.eventId).toBe('wh-1');
    expect(delivery.orders.map((o) => [o.platformOrderId, o.updatedAt])).toEqual([['E20261123104512000001', '2026-11-23T02:45:12.000Z']]);
  });

  it('refuses a body changed after signing', () => {
    const signed = request(body, now / 1000);
    const tampered = { ...signed, rawBody: Buffer.from(body.replace('12500.10', '1.10')) };
    expect(() => webhooks().verify(tampered)).toThrow(expect.objectContaining({ code: 'signature.invalid' }));
  });

  it('refuses a delivery signed too long ago, however well signed', () => {
    expect(() => webhooks().verify(request(body, now / 1000 - 301))).toThrow(SignatureError);
    expect(() => webhooks().verify(request(body, now / 1000 - 301))).toThrow(expect.objectContaining({ code: 'signature.stale' }));
  });

  it('refuses a delivery without signature', () => {
    const req = request(body, now / 1000);
    expect(() => webhooks().verify({ ...req, headers: { ...req.headers, 'x-market-signature': undefined } })).toThrow(expect.objectContaining({ code: 'signature.missing' }));
  });
});
