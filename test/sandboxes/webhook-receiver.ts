import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { verifyStandardWebhook } from '../../connectors/shared/signatures';

/**
 * A local partner that receives webhook-target deliveries: it verifies Standard Webhooks signatures,
 * records every request with its Idempotency-Key, and misbehaves on demand (fault plan). Used by
 * tests, the README walkthrough (run as a CLI) and the benchmark.
 */

export interface ReceivedRequest {
  /** 1-based arrival order. */
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The signature matched the receiver's secret; always false when it has none. */
  readonly verified: boolean;
  readonly idempotencyKey?: string;
  readonly receivedAt: string;
  /** What was answered; undefined while pending, and forever for `commitThenTimeout`. */
  status?: number;
  /** The receiver acted on it (answered 2xx, or committed then fell silent): a real partner's side effect. */
  committed: boolean;
}

/** How to answer one request. */
export type Fault =
  /** Answer with this status (and optional body and headers); a 2xx status counts as committed. */
  | { readonly status: number; readonly retryAfterSeconds?: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  /** Wait, then answer normally: a slow partner. */
  | { readonly delayMs: number }
  /** Act on the request, then never answer: the client cannot tell it from a failure. */
  | { readonly commitThenTimeout: true };

/** A queue consumed one fault per request (normal answers once empty), or a function deciding each one. */
export type FaultPlan = readonly Fault[] | ((request: ReceivedRequest) => Fault | undefined);

export interface WebhookReceiverOptions {
  /** @defaultValue 0 (a free port) */
  readonly port?: number;
  /** `whsec_…`: when given, requests are verified and answered 401 if the signature does not match. */
  readonly secret?: string;
  /** @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** Called once per request after it is recorded (the CLI prints it). */
  readonly onRequest?: (request: ReceivedRequest) => void;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  readonly faults: { set(plan: FaultPlan): void; clear(): void };
  /** Resolves once `predicate(requests)` holds; rejects after `timeoutMs`. @defaultValue timeoutMs 5000 */
  waitFor(predicate: (requests: readonly ReceivedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Idempotency keys the receiver acted on (requests without one are not counted). */
  uniqueKeys(): string[];
  /** Idempotency keys the receiver acted on more than once. */
  duplicates(): string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  /** A repeated key gets the reference of its first commit back, as an idempotent partner answers. */
  const refsByKey = new Map<string, string>();
  const watchers = new Set<() => void>();
  let plan: FaultPlan = [];
  /** Ends injected delays on close, so a test run leaves no timers behind. */
  const closing = new AbortController();
  const notify = () => watchers.forEach((check) => check());

  const nextFault = (request: ReceivedRequest): Fault | undefined => {
    if (typeof plan === 'function') return plan(request);
    const [fault, ...rest] = plan;
    plan = rest;
    return fault;
  };

  let refs = 0;
  const commit = (request: ReceivedRequest): string => {
    request.committed = true;
    const key = request.idempotencyKey;
    const known = key === undefined ? undefined : refsByKey.get(key);
    if (known) return known;
    const ref = `RCV-${++refs}`;
    if (key !== undefined) refsByKey.set(key, ref);
    return ref;
  };

  const answer = (request: ReceivedRequest, res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}) => {
    request.status = status;
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    notify();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const verified = options.secret !== undefined && verifies(options.secret, req.headers, raw);
    const key = req.headers['idempotency-key'];
    const request: ReceivedRequest = {
      seq: requests.length + 1,
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: raw.toString('utf8'),
      verified,
      idempotencyKey: typeof key === 'string' ? key : undefined,
      receivedAt: new Date().toISOString(),
      committed: false,
    };
    requests.push(request);
    options.onRequest?.(request);
    notify();

    if (options.secret !== undefined && !verified) return answer(request, res, 401, JSON.stringify({ error: 'signature.invalid' }));
    const fault = nextFault(request);
    if (fault && 'commitThenTimeout' in fault) {
      commit(request);
      return notify();
    }
    if (fault && 'delayMs' in fault) await delay(fault.delayMs, undefined, { signal: closing.signal });
    if (fault && 'status' in fault) {
      const ok = fault.status >= 200 && fault.status < 300;
      const ref = ok ? commit(request) : undefined;
      const retryAfter: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return answer(request, res, fault.status, fault.body ?? JSON.stringify(ok ? { id: ref } : { error: `injected ${fault.status}` }), { ...retryAfter, ...fault.headers });
    }
    answer(request, res, 200, JSON.stringify({ id: commit(request) }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;

  const committedKeys = () => requests.flatMap((r) => (r.committed && r.idempotencyKey !== undefined ? [r.idempotencyKey] : []));

  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/hooks/orders`,
    port,
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
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        const check = () => {
          if (!predicate(requests)) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`webhook receiver: condition not met within ${timeoutMs}ms (${requests.length} requests)`));
        }, timeoutMs);
        watchers.add(check);
        check();
      }),
    uniqueKeys: () => [...new Set(committedKeys())],
    duplicates: () => {
      const keys = committedKeys();
      return [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))];
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

function verifies(secret: string, headers: IncomingHttpHeaders, body: Buffer): boolean {
  try {
    verifyStandardWebhook(secret, headers, body);
    return true;
  } catch {
    return false;
  }
}

/** One line per event, for watching a walkthrough: type, order, key, and whether the signature held. */
function summarize(request: ReceivedRequest): string {
  let event: { type?: unknown; data?: { order?: { id?: unknown } } } = {};
  try {
    event = JSON.parse(request.body) as typeof event;
  } catch {
    // A non-JSON body is still listed, with its fields shown as '-'.
  }
  const fields = [String(event.type ?? '-'), `order=${String(event.data?.order?.id ?? '-')}`, `key=${request.idempotencyKey ?? '-'}`];
  return `${request.receivedAt} ${fields.join(' ')} verified=${request.verified ? 'yes' : 'no'}`;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '9090' }, secret: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } } });
  startWebhookReceiver({ port: Number(values.port), secret: values.secret, host: values.host, onRequest: (request) => console.log(summarize(request)) })
    .then((receiver) => console.log(`webhook receiver listening on ${receiver.url}${values.secret ? '' : ' (no secret: signatures not checked)'}`))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
