import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackHandler, CallbackRequest, PartnerEvent } from '../../connectors/connector';
import { HubError } from '../../core/errors/hub-error';

/**
 * Stands in for the hub's `POST /api/v1/hooks/:connectorId` in connector tests: hands the raw bytes,
 * lower-case headers and query to a connector's callback handler and answers as the hub would
 * (the partner's acknowledgement, 401 for a signature, 400 for a malformed body).
 */
export interface CallbackReceiver {
  /** Hook URL, with `/hooks/test` as path. */
  readonly url: string;
  readonly events: PartnerEvent[];
  /** Error codes of refused callbacks, in arrival order. */
  readonly refusals: string[];
  close(): Promise<void>;
}

export async function startCallbackReceiver(handler: CallbackHandler): Promise<CallbackReceiver> {
  const events: PartnerEvent[] = [];
  const refusals: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://hub.local');
      const request: CallbackRequest = {
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
        rawBody: Buffer.concat(chunks),
        query: Object.fromEntries(url.searchParams),
        receivedAt: Date.now(),
      };
      try {
        handler.verify(request);
        events.push(...handler.parse(request));
        const ack = handler.acknowledgement ?? { contentType: 'application/json', body: '{"received":true}' };
        res.writeHead(200, { 'content-type': ack.contentType }).end(ack.body);
      } catch (err) {
        const code = err instanceof HubError ? err.code : 'internal';
        refusals.push(code);
        res.writeHead(code.startsWith('signature.') ? 401 : 400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code } }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/test`,
    events,
    refusals,
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
