import { parseArgs } from 'node:util';
import { TRACKING_STATUSES } from '../../connectors/carrier-rest/carrier-rest.mapping';
import { postTrackingEvent, startCarrierRestSandbox } from './carrier-rest.sandbox';
import { startErpRestSandbox } from './erp-rest.sandbox';
import { jsonObject } from './sandbox-server';

/**
 * The partner sandboxes as a command, for trying the hub by hand (README "Walkthrough: an ERP and a
 * carrier"). Credentials come from the same variables, with the same `demo` defaults, as
 * config/examples/erp-and-carrier.yaml, so the two agree unless both are given other values.
 *
 *   node dist/test/sandboxes/sandbox.js --erp 9101 --carrier 9102
 *     starts the erp-rest ERP and the carrier-rest carrier and prints one line per request.
 *   node dist/test/sandboxes/sandbox.js track --order <orderId> --tracking <number> --status picked_up
 *     sends one tracking event to the hub, signed with the carrier's webhook secret.
 */

const CREDENTIALS = {
  erpToken: process.env.ERP_TOKEN || 'demo',
  carrierApiKey: process.env.CARRIER_API_KEY || 'demo',
  carrierWebhookSecret: process.env.CARRIER_WEBHOOK_SECRET || 'whsec_ZGVtby1jYXJyaWVyLXdlYmhvb2stc2VjcmV0LTMyYnk=',
};

const USAGE = `usage:
  sandbox.js [--erp PORT] [--carrier PORT] [--host 127.0.0.1] [--customers C-100,C-200]
  sandbox.js track --order ORDER_ID --tracking NUMBER --status ${Object.keys(TRACKING_STATUSES).join('|')}
             [--hook http://127.0.0.1:8080/api/v1/hooks/carrier] [--location TEXT]`;

async function serve(values: { erp?: string; carrier?: string; host: string; customers: string }): Promise<void> {
  if (!values.erp && !values.carrier) throw new Error(`give --erp PORT, --carrier PORT or both\n${USAGE}`);
  const at = () => new Date().toISOString();
  if (values.erp) {
    const erp = await startErpRestSandbox({
      token: CREDENTIALS.erpToken,
      customers: values.customers.split(','),
      port: Number(values.erp),
      host: values.host,
      onRequest: (r) => {
        const ref = jsonObject(r.body)?.externalRef;
        const order = erp.orders.find((o) => ref !== undefined && o.externalRef === ref);
        console.log(`${at()} erp     ${r.method} ${r.path} key=${r.idempotencyKey ?? '-'} → ${r.status ?? 'no answer'}${r.operation === 'create' && order ? ` sales order ${order.id}` : ''}`);
      },
    });
    console.log(`ERP sandbox (erp-rest) on ${erp.url}/api/sales-orders; token ${CREDENTIALS.erpToken === 'demo' ? '"demo"' : 'from ERP_TOKEN'}; customers ${values.customers}`);
  }
  if (values.carrier) {
    const carrier = await startCarrierRestSandbox({
      apiKey: CREDENTIALS.carrierApiKey,
      webhookSecret: CREDENTIALS.carrierWebhookSecret,
      port: Number(values.carrier),
      host: values.host,
      onRequest: (r) => {
        const waybill = r.idempotencyKey ? carrier.waybills.get(r.idempotencyKey) : undefined;
        console.log(`${at()} carrier ${r.method} ${r.path} key=${r.idempotencyKey ?? '-'} order=${r.reference ?? '-'} → ${r.status ?? 'no answer'}${waybill ? ` waybill ${waybill}` : ''}`);
      },
    });
    console.log(`carrier sandbox (carrier-rest) on ${carrier.url}; API key ${CREDENTIALS.carrierApiKey === 'demo' ? '"demo"' : 'from CARRIER_API_KEY'}`);
  }
}

/** The event id is the tracking number and status, so sending the same command twice shows the hub's deduplication. */
async function track(values: { order?: string; tracking?: string; status?: string; hook: string; location?: string }): Promise<void> {
  const { order, tracking, status } = values;
  if (!order || !tracking || !status) throw new Error(`track needs --order, --tracking and --status\n${USAGE}`);
  const answer = await postTrackingEvent(values.hook, CREDENTIALS.carrierWebhookSecret, {
    id: `${tracking}-${status}`,
    orderId: order,
    trackingNumber: tracking,
    status,
    occurredAt: new Date().toISOString(),
    ...(values.location ? { location: values.location } : {}),
  });
  console.log(`hub answered ${answer.status} ${answer.body}`);
  if (answer.status !== 200) process.exitCode = 1;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      erp: { type: 'string' },
      carrier: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      customers: { type: 'string', default: 'C-100' },
      order: { type: 'string' },
      tracking: { type: 'string' },
      status: { type: 'string' },
      hook: { type: 'string', default: 'http://127.0.0.1:8080/api/v1/hooks/carrier' },
      location: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (positionals[0] === 'track') return track(values);
  if (positionals.length > 0) throw new Error(`unknown command ${positionals[0]}\n${USAGE}`);
  return serve(values);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
