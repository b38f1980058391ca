import { header, jsonObject, startSandbox, type Sandbox, type SandboxRequest } from './sandbox-server';

/**
 * A WMS speaking the hub's generic WMS contract (connectors/wms-rest/README.md): Bearer key on
 * every call; `POST /outbound-deliveries` creates one delivery per Idempotency-Key (a repeated key
 * gets the first delivery back, 200 instead of 201); `GET /stock` pages its rows by opaque cursor.
 */

export interface WmsStockRow {
  readonly sku: string;
  readonly location: string;
  /** A decimal string, or a number to exercise the connector's integer rule. */
  readonly onHand: string | number;
}

export interface WmsSandbox extends Sandbox {
  /** Replaces the WMS's stock. */
  setStock(rows: readonly WmsStockRow[]): void;
  /** Delivery number per Idempotency-Key, for the deliveries the WMS created. */
  readonly deliveries: ReadonlyMap<string, string>;
}

export interface WmsSandboxOptions {
  readonly apiKey: string;
  readonly stock?: readonly WmsStockRow[];
}

export async function startWmsSandbox(options: WmsSandboxOptions): Promise<WmsSandbox> {
  let stock: readonly WmsStockRow[] = options.stock ?? [];
  const deliveries = new Map<string, string>();

  const authorized = (request: SandboxRequest) => {
    request.verified = header(request, 'authorization') === `Bearer ${options.apiKey}`;
    return request.verified ? undefined : { status: 401, body: { error: 'unauthorized' } };
  };

  const sandbox = await startSandbox([
    {
      method: 'POST',
      path: '/api/v1/outbound-deliveries',
      check: (request) => {
        const refused = authorized(request);
        if (refused) return refused;
        request.idempotencyKey = header(request, 'idempotency-key');
        if (!request.idempotencyKey) return { status: 400, body: { error: 'Idempotency-Key header is required' } };
        const body = jsonObject(request.body);
        if (typeof body?.externalReference !== 'string' || !Array.isArray(body.lines)) return { status: 422, body: { error: 'externalReference and lines are required' } };
        request.reference = body.externalReference;
        return undefined;
      },
      commit: (request) => {
        const key = request.idempotencyKey as string;
        const known = deliveries.get(key);
        if (known) return { status: 200, body: { deliveryNumber: known, status: 'created' }, replayed: true };
        const number = `OBD-${String(deliveries.size + 1).padStart(6, '0')}`;
        deliveries.set(key, number);
        return { status: 201, body: { deliveryNumber: number, status: 'created' } };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/stock',
      check: authorized,
      commit: (request) => {
        const limit = Number(request.query.limit ?? 100);
        const start = Number(request.query.cursor ?? 0);
        const rows = stock.filter((row) => !request.query.warehouse || row.location.startsWith(request.query.warehouse));
        const end = start + limit;
        return { body: { items: rows.slice(start, end), nextCursor: end < rows.length ? String(end) : null } };
      },
    },
  ]);

  return {
    ...sandbox,
    url: `${sandbox.url}/api/v1`,
    deliveries,
    setStock: (rows) => {
      stock = rows;
    },
  };
}
