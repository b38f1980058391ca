import { parseJson, startSandboxServer, type SandboxListen, type SandboxServer } from './erp-sandbox';

/**
 * A generic JSON ERP for the erp-rest connector: `POST /api/sales-orders` creates an order from
 * `{ customerCode, externalRef, lines: [{ item, qty, price }] }` and answers `201 { id }`;
 * `GET /api/sales-orders?externalRef=` lists orders by external reference. Whether it honours
 * `Idempotency-Key` (replaying the first answer) is the test's choice, so one suite can prove both
 * the key and the connector's own lookup.
 */

export interface ErpRestSandboxOptions extends SandboxListen {
  /** Bearer token it accepts. */
  readonly token: string;
  /** Customer codes it knows; any other is refused 422 as a real ERP refuses an unknown customer. */
  readonly customers: readonly string[];
  /** Replay the first answer for a repeated Idempotency-Key instead of creating again. @defaultValue true */
  readonly honoursIdempotencyKey?: boolean;
}

export interface RestSalesOrder {
  readonly id: string;
  readonly externalRef?: string;
  readonly body: unknown;
}

export interface ErpRestSandbox extends SandboxServer {
  /** Every order created, duplicates included. */
  readonly orders: RestSalesOrder[];
}

export async function startErpRestSandbox(options: ErpRestSandboxOptions): Promise<ErpRestSandbox> {
  const orders: RestSalesOrder[] = [];
  const answersByKey = new Map<string, { id: string }>();
  const honours = options.honoursIdempotencyKey ?? true;

  const server = await startSandboxServer({
    operationOf: (request) => (request.method === 'GET' ? 'lookup' : 'create'),
    handle: (request) => {
      if (request.headers.authorization !== `Bearer ${options.token}`) return { status: 401, body: { error: { code: 'unauthorized', message: 'invalid token' } } };
      if (request.operation === 'lookup') {
        return { status: 200, body: { items: orders.filter((o) => o.externalRef === request.query.externalRef).map(({ id, externalRef }) => ({ id, externalRef })) } };
      }
      const replay = honours && request.idempotencyKey !== undefined ? answersByKey.get(request.idempotencyKey) : undefined;
      if (replay) return { status: 201, body: replay };
      const body = parseJson(request.body) as { customerCode?: unknown; externalRef?: unknown } | undefined;
      if (!body) return { status: 400, body: { error: { code: 'body.malformed', message: 'body is not JSON' } } };
      if (typeof body.customerCode !== 'string' || !options.customers.includes(body.customerCode)) {
        return { status: 422, body: { error: { code: 'customer.unknown', message: `unknown customer ${String(body.customerCode)}` } } };
      }
      const order: RestSalesOrder = { id: `SO-${10_000 + orders.length + 1}`, ...(typeof body.externalRef === 'string' ? { externalRef: body.externalRef } : {}), body };
      orders.push(order);
      if (request.idempotencyKey !== undefined) answersByKey.set(request.idempotencyKey, { id: order.id });
      return { status: 201, body: { id: order.id } };
    },
  }, options);
  return Object.assign(server, { orders });
}
