import type { Logger } from 'pino';
import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import type { DeliveryOutcome } from '../connector';
import { requestJson, type HttpMethod, type PartnerExchange } from '../shared/http-client';
import type { ChangedOrdersPage, ChangedOrdersWindow, ShopPlatform, ShopShipment, ShopStockLevel, StockPushResult } from '../shop/shop-platform';
import { createRequestAuth } from './rest-poller.auth';
import type { RestPollerConfig } from './rest-poller.config';
import { formatInstant, resolutionMs } from './rest-poller.dates';
import { compileExpression, evaluate, jsonataReason } from './rest-poller.expressions';
import { createOrderReader } from './rest-poller.mapping';
import { nextPage, pageParams } from './rest-poller.pagination';
import { createRestPollerWebhooks } from './rest-poller.webhooks';
import { parseNumbersAsText } from './number-text-json';

/**
 * A shop platform that exists only as YAML: the hub's shop machinery (cursor and overlap, one hub
 * order per platform order, currency check, schedules, ship-back target, stock out) drives it like
 * any built-in platform, and this file turns each of its calls into HTTP requests and JSONata
 * evaluations the config describes. There is no vendor document; the contract is the config
 * reference and README.md of this folder. Idempotency-Key on ship-back follows
 * https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/.
 */

const USER_AGENT = 'order-hub/0.1';
/** Headers the connector sets itself; a configured header of the same name would break signing or deduplication. */
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'idempotency-key', 'user-agent']);

export interface RestPollerPlatformOptions {
  /** Epoch ms, for HMAC timestamps and token expiry. @defaultValue Date.now */
  readonly now?: () => number;
}

export function createRestPollerPlatform(config: RestPollerConfig, log: Logger, options: RestPollerPlatformOptions = {}): ShopPlatform {
  const auth = createRequestAuth(config.auth, config.timeoutMs, options.now);
  const reader = createOrderReader(config);
  const listingUrl = new URL(config.orders.url);
  const windowStyle = { format: config.orders.window.format, utcOffset: config.orders.window.utcOffset };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) log.warn({ header: name }, 'configured header ignored: the connector sets it');
    else headers[name] = value;
  }

  /** One request, signed; a 401 to an OAuth token renews it and tries once more. */
  const send = async (method: HttpMethod, url: URL, body: string | undefined, extra: Record<string, string>, signal: AbortSignal, passStatuses: readonly number[] = []): Promise<PartnerExchange> => {
    for (let attempt = 1; ; attempt += 1) {
      const signed = await auth.headers({ method, url, ...(body === undefined ? {} : { body }) });
      const all = { ...headers, 'User-Agent': USER_AGENT, Accept: 'application/json', ...extra, ...signed };
      const reply = await requestJson(method, url.toString(), body, all, { timeoutMs: config.timeoutMs, signal, passStatuses: [...passStatuses, 401] });
      if (reply.status !== 401) return reply;
      if (attempt === 1 && (await auth.rejected(signed))) continue;
      throw new PermanentPartnerError(`${url.host} refused the hub's credentials (401)`, { status: 401, body: reply.keptBody });
    }
  };

  const readJson = (reply: PartnerExchange, what: string): unknown => {
    try {
      return parseNumbersAsText(reply.body);
    } catch (err) {
      throw new PermanentPartnerError(`${what} is not JSON: ${(err as Error).message}`, { status: reply.status, body: reply.keptBody });
    }
  };

  const reportedError = async (source: string | undefined, answer: unknown): Promise<string | undefined> => {
    if (!source) return undefined;
    const message = await evaluate(compileExpression(source), answer).catch((err: unknown) => `error expression failed: ${jsonataReason(err)}`);
    if (message === undefined || message === null || message === false || message === '') return undefined;
    return typeof message === 'string' ? message : JSON.stringify(message);
  };

  const evaluateBody = async (source: string, input: unknown, what: string): Promise<string> => {
    let value: unknown;
    try {
      value = await evaluate(compileExpression(source), input);
    } catch (err) {
      throw new PermanentPartnerError(`${what} body expression failed: ${jsonataReason(err)}`);
    }
    if (value === undefined) throw new PermanentPartnerError(`${what} body expression gave nothing`);
    return JSON.stringify(value);
  };

  const platform: ShopPlatform = {
    platform: 'rest-poller',

    async fetchChanged(window: ChangedOrdersWindow, signal: AbortSignal): Promise<ChangedOrdersPage> {
      const { orders } = config;
      const resolution = resolutionMs(windowStyle);
      // Rounded outwards to what the platform can express: a wider window only repeats orders, which are stored once.
      const since = formatInstant(new Date(Math.floor(Date.parse(window.since) / resolution) * resolution).toISOString(), windowStyle);
      const until = formatInstant(new Date(Math.ceil(Date.parse(window.until) / resolution) * resolution).toISOString(), windowStyle);
      const followingLink = orders.pagination.type === 'link' && window.page !== undefined;

      let url: URL;
      let body: string | undefined;
      if (followingLink) {
        url = new URL(window.page as string);
      } else {
        url = new URL(orders.url);
        const windowParams = { [orders.window.since]: since, ...(orders.window.until ? { [orders.window.until]: until } : {}) };
        const params = { ...orders.query, ...(orders.method === 'GET' ? { ...windowParams, ...pageParams(orders.pagination, window.page) } : {}) };
        for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
        if (orders.method === 'POST' && orders.body) {
          const pageSize = orders.pagination.size === undefined ? undefined : String(orders.pagination.size);
          body = await evaluateBody(orders.body, { since, until, page: window.page, pageSize }, 'orders');
        }
      }

      const reply = await send(followingLink ? 'GET' : orders.method, url, body, {}, signal);
      const answer = readJson(reply, `the order listing of ${url.host}`);
      const failure = await reportedError(orders.error, answer);
      if (failure !== undefined) throw new TransientPartnerError(`${url.host} reported: ${failure}`, { status: reply.status, body: reply.keptBody });

      let items: unknown;
      try {
        items = await evaluate(compileExpression(orders.itemsPath), answer);
      } catch (err) {
        throw new PermanentPartnerError(`orders.itemsPath failed on the answer: ${jsonataReason(err)}`, { status: reply.status, body: reply.keptBody });
      }
      const list = items === undefined || items === null ? [] : Array.isArray(items) ? items : [items];
      const snapshots = await Promise.all(list.map((item) => reader.snapshot(item)));
      const next = await nextPage(orders.pagination, window.page, { body: answer, headers: reply.headers, items: list, url }, listingUrl);
      return { orders: snapshots, ...(next === undefined ? {} : { nextPage: next }) };
    },

    mapOrder: (order) => reader.mapOrder(order),

    async ship(shipment: ShopShipment, signal: AbortSignal): Promise<DeliveryOutcome> {
      const shipBack = config.shipBack;
      if (!shipBack) throw new PermanentPartnerError(`connector ${config.id} has no shipBack: the platform cannot be told that order ${shipment.platformOrderId} shipped`);
      const values = { orderId: shipment.platformOrderId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber };
      const url = new URL(shipBack.url.replace(/\{(orderId|carrier|trackingNumber)\}/g, (_, name: keyof typeof values) => encodeURIComponent(values[name])));
      const body = await evaluateBody(shipBack.body, { ...values, order: shipment.order }, 'shipBack');
      const passStatuses = shipBack.successStatuses.filter((status) => status >= 300);
      const reply = await send(shipBack.method, url, body, { 'Content-Type': 'application/json', 'Idempotency-Key': shipment.idempotencyKey }, signal, passStatuses);
      if (!shipBack.successStatuses.includes(reply.status)) {
        throw new PermanentPartnerError(`${url.host} answered ${reply.status}, not one of shipBack.successStatuses`, { status: reply.status, body: reply.keptBody });
      }
      // The platform acted; an answer that is not JSON cannot report a failure in it.
      const failure = await reportedError(shipBack.error, jsonOrNothing(reply.body));
      if (failure !== undefined) throw new TransientPartnerError(`${url.host} reported: ${failure}`, { status: reply.status, body: reply.keptBody });
      return { status: reply.status, responseBody: reply.keptBody };
    },

    ...(config.stock ? { pushStock: (levels: readonly ShopStockLevel[], signal: AbortSignal) => pushStock(config.stock!, levels, signal) } : {}),
    ...(config.webhook ? { webhooks: createRestPollerWebhooks(config.webhook, reader, options.now) } : {}),
  };

  async function pushStock(stock: NonNullable<RestPollerConfig['stock']>, levels: readonly ShopStockLevel[], signal: AbortSignal): Promise<StockPushResult> {
    const url = new URL(stock.url);
    const body = await evaluateBody(stock.body, { levels }, 'stock');
    const reply = await send(stock.method, url, body, { 'Content-Type': 'application/json' }, signal);
    let unknownSkus: string[] = [];
    if (stock.unknownSkus) {
      const found = await evaluate(compileExpression(stock.unknownSkus), jsonOrNothing(reply.body)).catch((err: unknown) => {
        log.warn({ reason: jsonataReason(err) }, 'stock.unknownSkus failed on the answer; no SKU reported unknown');
        return undefined;
      });
      unknownSkus = (found === undefined ? [] : Array.isArray(found) ? found : [found]).filter((sku): sku is string => typeof sku === 'string');
    }
    return { updated: levels.length - unknownSkus.length, unknownSkus };
  }

  return platform;
}

function jsonOrNothing(text: string): unknown {
  try {
    return parseNumbersAsText(text);
  } catch {
    return undefined;
  }
}
