import { SignatureError } from '../../core/errors/signature.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { CallbackRequest } from '../connector';
import type { ShopWebhookDelivery, ShopWebhooks } from '../shop/shop-platform';
import type { RestPollerConfig } from './rest-poller.config';
import { compileExpression, evaluate, jsonataReason } from './rest-poller.expressions';
import type { OrderReader } from './rest-poller.mapping';
import { readTimestamp, verify } from './rest-poller.signature';
import { parseNumbersAsText } from './number-text-json';

/**
 * Orders the platform pushes to `POST /api/v1/hooks/<id>`: an HMAC header over the raw body (and
 * the timestamp header, when the platform sends one) as the `webhook` config describes it. Each
 * order in a delivery becomes the same snapshot the poll would make of it, so an order that comes
 * both ways is stored once.
 */

type WebhookConfig = NonNullable<RestPollerConfig['webhook']>;

export function createRestPollerWebhooks(config: WebhookConfig, reader: OrderReader, now: () => number = Date.now): ShopWebhooks {
  const ordersExpression = compileExpression(config.orders);
  const header = (request: CallbackRequest, name: string): string | undefined => request.headers[name.toLowerCase()];

  return {
    verify(request: CallbackRequest): void {
      let timestamp: string | undefined;
      if (config.timestampHeader) {
        timestamp = header(request, config.timestampHeader);
        if (!timestamp) throw new SignatureError('signature.missing', `the ${config.timestampHeader} header is missing`);
        const sentAt = readTimestamp(config.timestampFormat, timestamp);
        if (!Number.isFinite(sentAt)) throw new SignatureError('signature.invalid', `${config.timestampHeader} is not a ${config.timestampFormat} time`);
        if (Math.abs(now() - sentAt) > config.toleranceSeconds * 1000) {
          throw new SignatureError('signature.stale', `${config.timestampHeader} is more than ${config.toleranceSeconds}s away from now`);
        }
      }
      verify(config, config.secret, { body: request.rawBody, ...(timestamp === undefined ? {} : { timestamp }) }, header(request, config.header));
    },

    async read(request: CallbackRequest): Promise<ShopWebhookDelivery> {
      const eventId = header(request, config.eventIdHeader);
      if (!eventId) throw new ValidationError(`the ${config.eventIdHeader} header is missing`, [{ path: `headers.${config.eventIdHeader}`, message: 'required: the delivery id' }]);
      let body: unknown;
      try {
        body = parseNumbersAsText(request.rawBody.toString('utf8'));
      } catch (err) {
        throw new ValidationError(`the webhook body is not JSON: ${(err as Error).message}`, [{ path: 'body', message: (err as Error).message }]);
      }
      let found: unknown;
      try {
        found = await evaluate(ordersExpression, body);
      } catch (err) {
        throw new ValidationError(`webhook.orders failed: ${jsonataReason(err)}`, [{ path: 'webhook.orders', message: jsonataReason(err) }]);
      }
      const orders = found === undefined || found === null ? [] : Array.isArray(found) ? found : [found];
      return {
        eventId,
        topic: (config.topicHeader ? header(request, config.topicHeader) : undefined) ?? 'order',
        orders: await Promise.all(orders.map((order) => reader.snapshot(order))),
      };
    },
  };
}
