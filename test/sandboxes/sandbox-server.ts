import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * The machinery every partner sandbox shares (WMS, carriers, e-signature): a loopback HTTP server
 * that records each request with the identity the partner would see in it (idempotency key, our
 * order reference, whether our signature held), answers through partner-specific routes, and
 * misbehaves on demand through the same fault plan as `webhook-receiver.ts`.
 */

export interface SandboxRequest {
  /** 1-based arrival order. */
  readonly seq: number;
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: string;
  /** Our signature (or API key) on the request held, as the route's check decided. */
  verified: boolean;
  idempotencyKey?: string;
  /** Our order id as the partner received it (its customer or merchant reference). */
  reference?: string;
  /** What was answered; undefined while pending, and forever for `commitThenTimeout`. */
  status?: number;
  /** The partner acted on it: a real side effect (a delivery, a waybill, a signing flow). */
  committed: boolean;
}

export interface SandboxAnswer {
  /** @defaultValue 200 */
  readonly status?: number;
  /** Objects are sent as JSON. */
  readonly body: string | object;
  readonly headers?: Readonly<Record<string, string>>;
  /** Answered from the partner's idempotency record: a 2xx that is not a new side effect. */
  readonly replayed?: boolean;
}

export interface SandboxRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Reads identity and signature into the request; returns the partner's refusal when they fail. */
  check(request: SandboxRequest): SandboxAnswer | undefined;
  /** The partner's side effect and its answer; runs only for checked requests no fault turned away. */
  commit(request: SandboxRequest): SandboxAnswer;
}

/** How to treat one request that passed its check. */
export type Fault =
  /** Answer this (error) status without acting; `retryAfterSeconds` adds a Retry-After header. */
  | { readonly status: number; readonly retryAfterSeconds?: number; readonly body?: string }
  /** Wait, then act and answer normally: a slow partner. */
  | { readonly delayMs: number }
  /** Act, then never answer: the client cannot tell it from a failure. */
  | { readonly commitThenTimeout: true };

/** A queue consumed one fault per checked request, or a function deciding each one. */
export type FaultPlan = readonly Fault[] | ((request: SandboxRequest) => Fault | undefined);

export interface Sandbox {
  /** Base URL, no trailing slash. */
  readonly url: string;
  readonly requests: SandboxRequest[];
  readonly faults: { set(plan: FaultPlan): void; clear(): void };
  /** Resolves once `predicate(requests)` holds; rejects after `timeoutMs`. @defaultValue timeoutMs 5000 */
  waitFor(predicate: (requests: readonly SandboxRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** References the partner acted on more than once: what exactly-once delivery must keep empty. */
  duplicateReferences(): string[];
  close(): Promise<void>;
}

export interface SandboxListen {
  /** @defaultValue 0 (a free port) */
  readonly port?: number;
  /** @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Called once per request after it is answered (or committed and left hanging); the sandbox command prints it. */
  readonly onRequest?: (request: SandboxRequest) => void;
}

export async function startSandbox(routes: readonly SandboxRoute[], listen: SandboxListen = {}): Promise<Sandbox> {
  const requests: SandboxRequest[] = [];
  const watchers = new Set<() => void>();
  let plan: FaultPlan = [];
  /** Ends injected delays on close, so a test run leaves no timers behind. */
  const closing = new AbortController();
  const notify = () => watchers.forEach((check) => check());

  const nextFault = (request: SandboxRequest): Fault | undefined => {
    if (typeof plan === 'function') return plan(request);
    const [fault, ...rest] = plan;
    plan = rest;
    return fault;
  };

  const answer = (request: SandboxRequest, res: ServerResponse, reply: SandboxAnswer) => {
    request.status = reply.status ?? 200;
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(request.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(text);
    listen.onRequest?.(request);
    notify();
  };

  const commit = (route: SandboxRoute, request: SandboxRequest): SandboxAnswer => {
    const reply = route.commit(request);
    request.committed = (reply.status ?? 200) < 300 && !reply.replayed;
    return reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const request: SandboxRequest = {
      seq: requests.length + 1,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: new Date().toISOString(),
      verified: false,
      committed: false,
    };
    requests.push(request);
    const route = routes.find((r) => r.method === request.method && r.path === request.path);
    if (!route) return answer(request, res, { status: 404, body: { error: `no route ${request.method} ${request.path}` } });
    const refusal = route.check(request);
    if (refusal) return answer(request, res, refusal);

    const fault = nextFault(request);
    if (fault && 'commitThenTimeout' in fault) {
      commit(route, request);
      listen.onRequest?.(request);
      return notify();
    }
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return answer(request, res, { status: fault.status, body: fault.body ?? { error: `injected ${fault.status}` }, headers });
    }
    if (fault && 'delayMs' in fault) await delay(fault.delayMs, undefined, { signal: closing.signal });
    answer(request, res, commit(route, request));
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
    faults: {
      set: (next) => {
        plan = next;
      },
      clear: () => {
        plan = [];
      },
    },
    waitFor: (predicate, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(requests)) return;
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`sandbox: condition not met within ${timeoutMs}ms (${requests.length} requests)`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    duplicateReferences: () => {
      const refs = requests.flatMap((r) => (r.committed && r.reference !== undefined ? [r.reference] : []));
      return [...new Set(refs.filter((ref, i) => refs.indexOf(ref) !== i))];
    },
    close: async () => {
      // commitThenTimeout requests hold their sockets open until the client gives up; do not wait for that.
      closing.abort();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface CallbackDelivery {
  readonly status: number;
  readonly body: string;
}

/** Reorders (Fisher–Yates) and repeats callbacks the way real partners deliver them: late and more than once. */
export function disorder<T>(items: readonly T[], options: { readonly shuffle?: boolean; readonly duplicate?: boolean } = {}): T[] {
  const out = options.duplicate ? [...items, ...items] : [...items];
  if (options.shuffle) {
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
  }
  return out;
}

/** POSTs one callback exactly as given (the signature covers these bytes) and reports the answer. */
export async function postCallback(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<CallbackDelivery> {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, body: await response.text() };
}

/** `url` with the query of the callback address the partner was given at create time (it carries our order id). */
export function withQueryOf(url: string, registered: string): string {
  const target = new URL(url);
  for (const [key, value] of new URL(registered).searchParams) target.searchParams.set(key, value);
  return target.toString();
}

/** The request body as a JSON object, or undefined when it is not one (the route then refuses it). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** A loopback HTTP server for a partner whose API is one URL (Taobao TOP's router, JD's routerjson); a handler that throws drops its connection. */
export async function listenOnLoopback(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
