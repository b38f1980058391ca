import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * What the ERP sandboxes (sap-odata, kingdee, u8, odoo, erp-rest) share: a loopback HTTP server that
 * records every request with its idempotency key and the operation it stands for, and misbehaves on
 * demand per operation, so a test can break the create call without breaking the login before it.
 * Each vendor sandbox supplies only its routing and its documented answers.
 */

export interface SandboxRequest {
  /** 1-based arrival order. */
  readonly seq: number;
  /** What the vendor sandbox says the call is: 'login', 'lookup', 'create' … */
  readonly operation: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly idempotencyKey?: string;
  readonly receivedAt: string;
  /** What was answered; undefined while pending, and forever for `commitThenTimeout`. */
  status?: number;
}

export interface SandboxAnswer {
  readonly status: number;
  /** A string is sent as is; anything else as JSON. */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string | string[]>>;
}

/** How to misbehave on one request. */
export type SandboxFault =
  /** Answer this status without acting on the request. */
  | { readonly status: number; readonly retryAfterSeconds?: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** Wait, then act and answer normally: a slow partner. */
  | { readonly delayMs: number }
  /** Act on the request (create the document), then never answer: a reply lost after the commit. */
  | { readonly commitThenTimeout: true };

export interface SandboxRoutes {
  /** Names the operation of a request, for the record and for per-operation faults. */
  operationOf(request: Omit<SandboxRequest, 'seq' | 'operation' | 'receivedAt'>): string;
  /** The vendor's answer; called only when no fault replaces it. */
  handle(request: SandboxRequest): SandboxAnswer | Promise<SandboxAnswer>;
}

export interface SandboxServer {
  /** Base URL, without a trailing slash. */
  readonly url: string;
  readonly requests: SandboxRequest[];
  /** Queues faults for the next requests of `operation`, one fault per request. */
  fault(operation: string, ...faults: SandboxFault[]): void;
  /** Decides a fault for every request of `operation` once its queue is empty (random faults at a rate). */
  faultEach(operation: string, decide: (request: SandboxRequest) => SandboxFault | undefined): void;
  /** Requests recorded for `operation`. */
  count(operation: string): number;
  close(): Promise<void>;
}

export interface SandboxListen {
  /** @defaultValue 0 (a free port) */
  readonly port?: number;
  /** @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Called once per request after it is answered (or acted on and left hanging); the sandbox command prints it. */
  readonly onRequest?: (request: SandboxRequest) => void;
}

export async function startSandboxServer(routes: SandboxRoutes, listen: SandboxListen = {}): Promise<SandboxServer> {
  const requests: SandboxRequest[] = [];
  const plans = new Map<string, SandboxFault[]>();
  const deciders = new Map<string, (request: SandboxRequest) => SandboxFault | undefined>();
  /** Ends injected delays on close, so a test run leaves no timers behind. */
  const closing = new AbortController();

  const answer = (request: SandboxRequest, res: ServerResponse, reply: SandboxAnswer) => {
    request.status = reply.status;
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(text);
    listen.onRequest?.(request);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const key = req.headers['idempotency-key'];
    const seen = {
      method: req.method ?? '',
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    };
    const request: SandboxRequest = { ...seen, seq: requests.length + 1, operation: routes.operationOf(seen), receivedAt: new Date().toISOString() };
    requests.push(request);

    const fault = plans.get(request.operation)?.shift() ?? deciders.get(request.operation)?.(request);
    if (fault && 'commitThenTimeout' in fault) {
      await routes.handle(request);
      listen.onRequest?.(request);
      return;
    }
    if (fault && 'delayMs' in fault) await delay(fault.delayMs, undefined, { signal: closing.signal });
    if (fault && 'status' in fault) {
      const retryAfter: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return answer(request, res, { status: fault.status, body: fault.body ?? { error: `injected ${fault.status}` }, headers: { ...retryAfter, ...fault.headers } });
    }
    answer(request, res, await routes.handle(request));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  });
  server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    requests,
    fault: (operation, ...faults) => plans.set(operation, [...(plans.get(operation) ?? []), ...faults]),
    faultEach: (operation, decide) => deciders.set(operation, decide),
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    close: async () => {
      // commitThenTimeout requests hold their sockets open until the client gives up; do not wait for that.
      closing.abort();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A JSON body as the sandbox's vendor would parse it; a malformed one is the caller's 400. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
