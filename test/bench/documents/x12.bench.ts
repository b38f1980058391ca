import { readFileSync } from 'node:fs';
import { X12Parser } from 'node-x12';
import { generate850 } from '../../../connectors/x12/x12-850.generator';
import { parseX12Orders } from '../../../connectors/x12/x12-850.parser';
import { readInterchange } from '../../../connectors/x12/x12-envelope';
import { readIsa } from '../../../connectors/x12/x12-isa';
import { readSegments } from '../../../connectors/x12/x12-reader';
import type { ControlNumbers } from '../../../connectors/x12/x12-writer';
import { makeOrder } from '../../support/order-factory';
import { measure, type BenchRow } from './bench-row';

/** Lines per purchase order in the bench set: mostly small orders, a few long project bills. */
const LINE_COUNTS = [1, 2, 3, 3, 5, 8, 12, 20, 40, 120] as const;
/** Each line count appears this often, so the set holds 50 interchanges. */
const REPEATS = 5;

function counter(): ControlNumbers {
  const last = { isa: 0, gs: 0, st: 0 };
  return { next: async (scope) => (last[scope] += 1) };
}

/** 850s as partners send them: N1 loops with PER, ITD terms, a DTM, PO1 with VP/BP, PID, a total. */
async function purchaseOrders(): Promise<Buffer[]> {
  const controlNumbers = counter();
  const documents: Buffer[] = [];
  for (let round = 0; round < REPEATS; round += 1) {
    for (const count of LINE_COUNTS) {
      const order = makeOrder({
        poNumber: `PO-${round}-${count}`,
        customer: { id: 'HC-100', name: 'Harbor Construction Inc.', contact: { name: 'Dana Ortiz', email: 'dana@harbor.example', phone: '+1 206 555 0134' } },
        shipTo: { name: 'Pier 46 Site Office', street: '2400 Alaskan Way', city: 'Seattle', region: 'WA', postalCode: '98121', country: 'US' },
        billTo: { name: 'Harbor Construction AP', street: 'PO Box 9120', city: 'Seattle', region: 'WA', postalCode: '98109', country: 'US' },
        currency: 'USD',
        paymentTerms: 'Net 30 days after acceptance',
        requestedDeliveryDate: '2026-12-15',
        lines: Array.from({ length: count }, (_, i) => ({
          lineNo: i + 1,
          sku: `SKU-${(i * 7919) % 10_000}`,
          customerSku: `HC-${i}`,
          description: `Item ${i + 1}, stainless, 200 mm`,
          quantity: String((i % 9) + 1),
          uom: 'EA',
          unitPrice: `${(i % 50) + 10}.25`,
        })),
      });
      const document = await generate850(order, { controlNumbers, sender: 'ZZ:HARBORCO', receiver: 'ZZ:ORDERHUB', now: new Date('2026-11-23T10:55:00Z') });
      documents.push(document.body);
    }
  }
  return documents;
}

/** The hub's reader without the mapping: what node-x12 does, for a like-for-like row. */
function envelopeOnly(body: Buffer): void {
  const text = body.toString('utf8');
  const isa = readIsa(text, 0);
  if (!isa.ok) throw new Error('bench input refused');
  const segments = readSegments(text, isa.end, isa.separators, { maxSegments: 100_000, maxSegmentLength: 4096 });
  if (!segments.ok || !readInterchange(isa.isa, segments.segments).ok) throw new Error('bench input refused');
}

/**
 * X12 850: the hub's parser (envelope checks, mapping to drafts, schema validation) beside node-x12,
 * the fastest X12 parser on npm that installs here, in strict mode: it checks the envelope counts but
 * maps and validates nothing, so the hub's envelope-only row is the like-for-like comparison.
 */
export async function bench(): Promise<BenchRow[]> {
  const inputs = await purchaseOrders();
  const ours = await measure(inputs, async (body) => {
    const result = await parseX12Orders(body, { mapping: {} });
    if (!result.ok || result.orders.some((o) => !o.draft)) throw new Error(`bench input refused: ${JSON.stringify(result.issues)}`);
  });
  const envelope = await measure(inputs, envelopeOnly);
  const version = (JSON.parse(readFileSync(require.resolve('node-x12/package.json'), 'utf8')) as { version: string }).version;
  const theirs = await measure(inputs, (body) => new X12Parser(true).parse(body.toString('utf8')));
  return [
    { format: 'x12-850', implementation: 'order-hub (parse + mapping)', ...ours },
    { format: 'x12-850', implementation: 'order-hub (envelope checks only, no mapping)', ...envelope },
    { format: 'x12-850', implementation: `node-x12 ${version} (strict parse, no mapping)`, ...theirs },
  ];
}
