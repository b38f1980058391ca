import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { shopConnectorFields } from '../shop/shop.config';
import { dateFormatField, utcOffsetField } from './rest-poller.dates';
import { expressionField } from './rest-poller.expressions';
import { hmacAlgorithm, signatureEncoding, timestampFormat, unknownPlaceholders } from './rest-poller.signature';

/**
 * A shop platform described in YAML only: where its changed orders are listed, how to sign in, how
 * it pages, and JSONata expressions that read its orders into the canonical draft. See README.md.
 */

const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name');

const bearerAuth = z.object({
  type: z.literal('bearer'),
  token: secret('Token sent as `Authorization: Bearer <token>`.'),
});

const basicAuth = z.object({
  type: z.literal('basic'),
  username: z.string().min(1).meta({ description: 'User for HTTP basic authentication.' }),
  password: secret('Password for HTTP basic authentication.'),
});

const REQUEST_PLACEHOLDERS = ['method', 'path', 'timestamp', 'body', 'bodySha256', 'keyId'];

const hmacAuth = z
  .object({
    type: z.literal('hmac'),
    keyId: z.string().min(1).optional().meta({ description: 'The key id the platform issued with the secret; sent in `keyIdHeader` and usable as `{keyId}` in the string to sign.' }),
    keyIdHeader: headerName.default('X-Api-Key').meta({ description: 'Header carrying `keyId` (when set).' }),
    secret: secret('Shared secret the HMAC is keyed with.'),
    algorithm: hmacAlgorithm.default('sha256').meta({ description: 'HMAC digest.' }),
    encoding: signatureEncoding.default('hex').meta({ description: 'How the MAC is written into the header.' }),
    header: headerName.default('X-Signature').meta({ description: 'Header carrying the signature.' }),
    prefix: z.string().default('').meta({ description: 'Written before the signature in the header, e.g. `HMAC-SHA256 `.' }),
    timestampHeader: headerName.default('X-Timestamp').meta({ description: 'Header carrying the time of the request.' }),
    timestampFormat: timestampFormat.default('epoch-seconds').meta({ description: 'How the timestamp is written.' }),
    stringToSign: z
      .string()
      .min(1)
      .default('{method}\n{path}\n{timestamp}\n{body}')
      .meta({
        description: 'What is signed: `{method}` (upper case), `{path}` (path and query as requested), `{timestamp}`, `{body}` (empty for GET), `{bodySha256}` (hex), `{keyId}`; other text is taken literally.',
        examples: ['{method}\n{path}\n{timestamp}\n{body}'],
      }),
  })
  .superRefine((auth, ctx) => placeholdersKnown(auth.stringToSign, REQUEST_PLACEHOLDERS, ['stringToSign'], ctx));

const oauth2Auth = z.object({
  type: z.literal('oauth2'),
  tokenUrl: z.url().meta({ description: 'Token endpoint of the client credentials grant (RFC 6749 §4.4).' }),
  clientId: z.string().min(1).meta({ description: 'OAuth client id.' }),
  clientSecret: secret('OAuth client secret.'),
  scope: z.string().min(1).optional().meta({ description: 'Space-separated scopes to ask for.' }),
  clientAuthentication: z
    .enum(['basic', 'body'])
    .default('basic')
    .meta({ description: '`basic`: client id and secret in an Authorization header (RFC 6749 §2.3.1, what every server must accept); `body`: as client_id/client_secret form fields.' }),
});

const noAuth = z.object({ type: z.literal('none') });

const pageSize = {
  sizeParam: z.string().min(1).optional().meta({ description: 'Query parameter asking for a page size.', examples: ['page_size'] }),
  size: z.number().int().positive().optional().meta({ description: 'Page size sent in `sizeParam`.' }),
};

const pagePagination = z.object({
  type: z.literal('page'),
  param: z.string().min(1).default('page').meta({ description: 'Query parameter holding the page number.' }),
  first: z.number().int().nonnegative().default(1).meta({ description: 'Number of the first page (0 or 1).' }),
  ...pageSize,
  hasMore: expressionField('Over a page answer: true while there are more pages. Unset: a page with `size` orders (or, without `size`, any orders) is followed by another', ['has_next', 'page_no * page_size < total_results']).optional(),
});

const cursorPagination = z.object({
  type: z.literal('cursor'),
  param: z.string().min(1).default('cursor').meta({ description: 'Query parameter holding the next-page token.' }),
  next: expressionField('Over a page answer: the token of the next page; nothing, null or "" on the last page', ['next_cursor', 'meta.next_token']),
  ...pageSize,
});

const linkPagination = z.object({
  type: z.literal('link'),
  ...pageSize,
});

const ordersConfig = z
  .object({
    url: z.url().meta({ description: 'Endpoint listing orders modified in a time window.', examples: ['https://api.example-shop.cn/v2/orders'] }),
    method: z.enum(['GET', 'POST']).default('GET').meta({ description: 'HTTP method of the listing; POST sends the window and paging as a JSON body built by `body`.' }),
    body: expressionField('For POST listings: the JSON body, given `{ since, until, page, pageSize }` (the window in `window.format`, `page` the token of the page or nothing on the first)', ['{ "start_update": since, "end_update": until, "page_no": page ? $number(page) : 1 }']).optional(),
    query: z.record(z.string(), z.string()).default({}).meta({ description: 'Fixed query parameters sent with every listing request.', examples: [{ status: 'all' }] }),
    window: z
      .object({
        since: z.string().min(1).meta({ description: 'Query parameter of the lower bound of the modified time (inclusive).', examples: ['updated_since'] }),
        until: z.string().min(1).optional().meta({ description: 'Query parameter of the upper bound; unset for platforms that only take a lower bound.', examples: ['updated_until'] }),
        format: dateFormatField.default('iso').meta({ description: '`iso`, `epoch-seconds`, `epoch-millis` or a pattern such as `yyyy-MM-dd HH:mm:ss`.' }),
        utcOffset: utcOffsetField.default('Z').meta({ description: 'Offset the platform writes pattern times in, e.g. `+08:00`.' }),
      })
      .meta({ description: 'How the poll window [since, until) is put into the query.' }),
    pagination: z
      .discriminatedUnion('type', [pagePagination, cursorPagination, linkPagination])
      .meta({
        description:
          '`page` (param, first, sizeParam, size, hasMore): numbered pages; `cursor` (param, next, sizeParam, size): a token from each answer; `link` (sizeParam, size): the `Link: <…>; rel="next"` header (RFC 8288), followed on the same host only.',
      }),
    itemsPath: expressionField('Over a page answer: the list of orders on it', ['data.orders', 'response.trades']),
    error: expressionField('Over a 2xx page answer: a message when the platform reports a failure in it (e.g. a "call limited" code); the poll then stops and the next firing tries again', ['success = false ? message']).optional(),
  })
  .superRefine((orders, ctx) => {
    if (orders.method === 'POST' && !orders.body) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a POST listing needs a body expression' });
    if (orders.method === 'POST' && orders.pagination.type === 'link') ctx.addIssue({ code: 'custom', path: ['pagination', 'type'], message: 'Link headers are followed with GET; a POST listing pages by page or cursor' });
  });

const mappingConfig = z.object({
  orderId: expressionField('Over one order: the platform\'s order id', ['tid', 'order_no']),
  updatedAt: expressionField('Over one order: its last-modified time, in `updatedAtFormat`', ['update_time']),
  updatedAtFormat: dateFormatField.default('iso').meta({ description: 'How `updatedAt` is written; patterns are read in `orders.window.utcOffset`.' }),
  cancelled: expressionField('Over one order: true when it is cancelled, closed or fully refunded', ["status in ['TRADE_CLOSED', 'TRADE_CLOSED_BY_USER']"]).default('false'),
  order: expressionField(
    'Over one order: the canonical order draft (customer, currency, lines[sku, quantity, unitPrice …], shipTo …; see the order schema). Lines without lineNo are numbered in order',
    ['{ "orderNumber": tid, "customer": { "name": buyer.name }, "currency": "CNY", "lines": [items.{ "sku": sku, "quantity": num, "unitPrice": price }] }'],
  ),
});

const shipBackConfig = z.object({
  url: z.string().min(1).meta({ description: 'Where the shipment is posted; `{orderId}`, `{carrier}` and `{trackingNumber}` are replaced (URL-encoded).', examples: ['https://api.example-shop.cn/v2/orders/{orderId}/shipments'] }),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST').meta({ description: 'HTTP method of the ship call.' }),
  body: expressionField('The JSON body, given `{ orderId, carrier, trackingNumber, order }` (`order` the canonical order)', ['{ "tid": orderId, "express_company": carrier, "express_no": trackingNumber }']),
  successStatuses: z.array(z.number().int().min(200).max(499)).min(1).default([200, 201, 202, 204]).meta({ description: 'Statuses that mean "recorded"; add the platform\'s "already shipped" status (e.g. 409) so a repeated post counts as done.' }),
  error: expressionField('Over a success answer: a message when the platform reports a failure in it; the delivery is then retried', ['success = false ? message']).optional(),
});

const stockConfig = z.object({
  url: z.url().meta({ description: 'Where stock levels are pushed.', examples: ['https://api.example-shop.cn/v2/inventory'] }),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST').meta({ description: 'HTTP method of the push.' }),
  body: expressionField('The JSON body, given `{ levels: [{ sku, available }] }` (available as a whole-unit string)', ['{ "items": [levels.{ "sku": sku, "quantity": $number(available) }] }']),
  unknownSkus: expressionField('Over the answer: SKUs the platform does not sell', ['failed[code = "SKU_NOT_FOUND"].sku']).optional(),
});

const WEBHOOK_PLACEHOLDERS = ['timestamp', 'body'];

const webhookConfig = z
  .object({
    secret: secret('Shared secret the platform signs webhooks with.'),
    header: headerName.meta({ description: 'Header carrying the signature.', examples: ['X-Shop-Signature'] }),
    algorithm: hmacAlgorithm.default('sha256').meta({ description: 'HMAC digest.' }),
    encoding: signatureEncoding.default('base64').meta({ description: 'How the MAC is written into the header.' }),
    prefix: z.string().default('').meta({ description: 'Text before the signature in the header, e.g. `sha256=`.' }),
    stringToSign: z.string().min(1).default('{body}').meta({ description: 'What the platform signs: `{body}` (the raw bytes) and `{timestamp}`; other text is literal.', examples: ['{timestamp}.{body}'] }),
    timestampHeader: headerName.optional().meta({ description: 'Header with the sending time; when set, deliveries older or newer than `toleranceSeconds` are refused.' }),
    timestampFormat: timestampFormat.default('epoch-seconds').meta({ description: 'How the timestamp header is written.' }),
    toleranceSeconds: z.number().int().positive().default(300).meta({ description: 'How far the timestamp may be from now, in seconds.' }),
    eventIdHeader: headerName.meta({ description: 'Header with the delivery\'s unique id; a repeated id is answered 200 and not taken again.', examples: ['X-Shop-Delivery-Id'] }),
    topicHeader: headerName.optional().meta({ description: 'Header naming the event (kept with the order).' }),
    orders: expressionField('Over the webhook body: the order or orders it carries (nothing for a ping)', ['data.order']).default('$'),
  })
  .superRefine((webhook, ctx) => {
    placeholdersKnown(webhook.stringToSign, WEBHOOK_PLACEHOLDERS, ['stringToSign'], ctx);
    if (webhook.stringToSign.includes('{timestamp}') && !webhook.timestampHeader) {
      ctx.addIssue({ code: 'custom', path: ['timestampHeader'], message: 'stringToSign uses {timestamp}: name the header that carries it' });
    }
  });

export const restPollerConfig = z
  .object({
    ...shopConnectorFields,
    kind: z.literal('rest-poller'),
    auth: z
      .discriminatedUnion('type', [bearerAuth, basicAuth, hmacAuth, oauth2Auth, noAuth])
      .default({ type: 'none' })
      .meta({
        description:
          'How the hub signs in: `bearer` (token), `basic` (username, password), `hmac` (keyId, keyIdHeader, secret, algorithm, encoding, header, prefix, timestampHeader, timestampFormat, stringToSign), `oauth2` client credentials (tokenUrl, clientId, clientSecret, scope, clientAuthentication; the token is cached until it expires or is refused with 401) or `none`.',
      }),
    headers: z.record(z.string(), z.string()).default({}).meta({ description: 'Extra headers sent with every request to the platform.' }),
    orders: ordersConfig.meta({ description: 'The listing of changed orders the catch-up poll reads.' }),
    mapping: mappingConfig.meta({ description: 'How one order of the platform reads: expressions over the order object selected by `orders.itemsPath`.' }),
    shipBack: shipBackConfig.optional().meta({ description: 'How a shipment (carrier, tracking number) is posted back when `order.shipped` is routed here; unset, shipments are not told to the platform.' }),
    stock: stockConfig.optional().meta({ description: 'How available stock is pushed (with `stockSync`).' }),
    webhook: webhookConfig.optional().meta({ description: 'Orders pushed by the platform to `POST /api/v1/hooks/<id>`, checked with an HMAC header; the poll still runs and catches what webhooks missed.' }),
  })
  .superRefine((config, ctx) => {
    if (config.stockSync && !config.stock) ctx.addIssue({ code: 'custom', path: ['stock'], message: 'stockSync needs stock (where and how to push levels)' });
  });

export type RestPollerConfig = z.output<typeof restPollerConfig>;

function placeholdersKnown(template: string, available: readonly string[], path: PropertyKey[], ctx: z.RefinementCtx): void {
  const unknown = unknownPlaceholders(template, available);
  if (unknown.length > 0) ctx.addIssue({ code: 'custom', path, message: `unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; use ${available.map((n) => `{${n}}`).join(', ')}` });
}
