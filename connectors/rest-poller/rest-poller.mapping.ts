import { createHash } from 'node:crypto';
import { ValidationError } from '../../core/errors/validation.error';
import type { OrderDraftInput } from '../../core/order/order.types';
import type { ShopOrderMapping, ShopOrderSnapshot } from '../shop/shop-platform';
import type { RestPollerConfig } from './rest-poller.config';
import { readInstant, type DateStyle } from './rest-poller.dates';
import { compileExpression, evaluate, jsonataReason } from './rest-poller.expressions';
import { numbersToText, parseNumbersAsText } from './number-text-json';

/**
 * One platform order read through the connector's JSONata expressions. The order object has its
 * numbers as text (number-text-json.ts); the draft is handed to intake as the expression built it
 * and validated there against the canonical schema, so a mapping that yields a float for a price
 * is refused naming the field rather than rounded.
 */

/**
 * Kept in place of a modified time that does not read: the order's version is stored once (and
 * quarantined by intake, naming `updatedAt`), and never moves the poll cursor.
 */
const UNREADABLE_TIME = new Date(0).toISOString();

export interface OrderReader {
  /** The snapshot the shop machinery stores; never throws for one bad order, which intake then quarantines. */
  snapshot(order: unknown): Promise<ShopOrderSnapshot>;
  mapOrder(order: unknown): Promise<ShopOrderMapping>;
}

export function createOrderReader(config: Pick<RestPollerConfig, 'mapping' | 'orders'>): OrderReader {
  const { mapping } = config;
  const style: DateStyle = { format: mapping.updatedAtFormat, utcOffset: config.orders.window.utcOffset };
  const expressions = {
    orderId: compileExpression(mapping.orderId),
    updatedAt: compileExpression(mapping.updatedAt),
    cancelled: compileExpression(mapping.cancelled),
    order: compileExpression(mapping.order),
  };

  const field = async (name: keyof typeof expressions, order: unknown): Promise<unknown> => {
    try {
      return await evaluate(expressions[name], order);
    } catch (err) {
      throw new ValidationError(`mapping.${name} failed: ${jsonataReason(err)}`, [{ path: `mapping.${name}`, message: jsonataReason(err) }], 'mapping.failed');
    }
  };

  const orderIdOf = async (order: unknown): Promise<string | undefined> => {
    const id = await field('orderId', order);
    return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
  };

  return {
    async snapshot(order) {
      const text = numbersToText(order);
      const body = Buffer.from(JSON.stringify(text), 'utf8');
      const id = await orderIdOf(text).catch(() => undefined);
      const updatedAt = await field('updatedAt', text).then((value) => readInstant(value, style)).catch(() => undefined);
      return {
        // A stable stand-in keeps an order without a readable id from being stored on every poll.
        platformOrderId: id ?? `unreadable-${createHash('sha256').update(body).digest('hex').slice(0, 16)}`,
        updatedAt: updatedAt ?? UNREADABLE_TIME,
        body,
      };
    },

    async mapOrder(input) {
      const order = readOrder(input);
      const platformOrderId = await orderIdOf(order);
      if (!platformOrderId) throw invalid('orderId', `\`${mapping.orderId}\` found no order id`);
      const updatedAt = await field('updatedAt', order);
      if (readInstant(updatedAt, style) === undefined) {
        throw invalid('updatedAt', `\`${mapping.updatedAt}\` gave ${describe(updatedAt)}, not a time in ${mapping.updatedAtFormat}`);
      }
      const cancelled = await field('cancelled', order);
      if (cancelled !== undefined && typeof cancelled !== 'boolean') throw invalid('cancelled', `\`${mapping.cancelled}\` gave ${describe(cancelled)}, not true or false`);
      const draft = await field('order', order);
      if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) throw invalid('order', `the expression gave ${describe(draft)}, not an order object`);
      return { platformOrderId, draft: numberLines(draft as OrderDraftInput), cancelled: cancelled === true };
    },
  };
}

/** An order as intake hands it over (JSON.parse of the kept body), or its raw bytes. */
function readOrder(input: unknown): unknown {
  if (Buffer.isBuffer(input)) return parseNumbersAsText(input.toString('utf8'));
  if (typeof input === 'string') return parseNumbersAsText(input);
  return numbersToText(input);
}

/**
 * Platforms number lines themselves rarely; a line without `lineNo` gets its place (1, 2, …), and
 * one whose number arrived as text ("1", as every JSON number does here) gets it as a number.
 */
function numberLines(draft: OrderDraftInput): OrderDraftInput {
  if (!Array.isArray(draft.lines)) return draft;
  const lines = draft.lines.map((line, i) => {
    if (typeof line !== 'object' || line === null) return line;
    const lineNo: unknown = (line as { lineNo?: unknown }).lineNo;
    if (lineNo === undefined) return { ...line, lineNo: i + 1 };
    return typeof lineNo === 'string' && /^\d{1,9}$/.test(lineNo) ? { ...line, lineNo: Number(lineNo) } : line;
  });
  return { ...draft, lines };
}

function invalid(name: string, message: string): ValidationError {
  return new ValidationError(`the platform order does not read: mapping.${name}: ${message}`, [{ path: `mapping.${name}`, message }], 'mapping.failed');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
