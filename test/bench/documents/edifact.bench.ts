import { readFileSync } from 'node:fs';
import { readHead, decodeBody, syntaxIdentifierOf } from '../../../connectors/edifact/edifact.charset';
import { readEnvelope } from '../../../connectors/edifact/edifact.envelope';
import { generateOrders } from '../../../connectors/edifact/edifact-orders.generator';
import { edifactOrdersParser } from '../../../connectors/edifact/edifact-orders.parser';
import { readServiceString } from '../../../connectors/edifact/edifact.service-string';
import { tokenize } from '../../../connectors/edifact/edifact.tokenizer';
import type { ControlNumbers } from '../../../connectors/edifact/edifact.writer';
import { makeOrder } from '../../support/order-factory';
import { measure, type BenchRow } from './bench-row';

/** Lines per order in the bench set: mostly small orders, a few long project bills. */
const LINE_COUNTS = [1, 2, 3, 3, 5, 8, 12, 20, 40, 120] as const;
/** Each line count appears this often, so the set holds 50 interchanges. */
const REPEATS = 5;

/** node-edifact's event parser, typed as far as the bench uses it (the package ships no types). */
interface EventParser {
  encoding(name: string): void;
  on(event: 'opensegment', listener: (tag: string) => void): void;
  on(event: 'element' | 'closesegment', listener: () => void): void;
  on(event: 'component', listener: (value: string) => void): void;
  write(chunk: string): void;
  end(): void;
}

/** The package ships no types: a local interface and `require` keep that to this file. */
const EdifactParser = require('edifact/parser.js') as new () => EventParser;

function counter(): ControlNumbers {
  const last = { unb: 0, unh: 0 };
  return { next: async (scope) => (last[scope] += 1) };
}

/** ORDERS as partners send them: NAD groups with CTA/COM, FTX terms, DTM, LIN with PIA, IMD, QTY, PRI, TAX. */
async function purchaseOrders(): Promise<Buffer[]> {
  const controlNumbers = counter();
  const documents: Buffer[] = [];
  for (let round = 0; round < REPEATS; round += 1) {
    for (const count of LINE_COUNTS) {
      const order = makeOrder({
        poNumber: `PO-${round}-${count}`,
        customer: { id: '4012345000009', name: 'Müller Tiefbau GmbH', taxId: 'DE123456789', contact: { name: 'Anna Weber', email: 'anna.weber@example.de', phone: '+49 711 1234567' } },
        shipTo: { name: 'Baustelle Neckarpark', street: 'Mercedesstraße 12', city: 'Stuttgart', postalCode: '70372', country: 'DE' },
        billTo: { name: 'Müller Tiefbau GmbH', street: 'Postfach 10 20 30', city: 'Stuttgart', postalCode: '70020', country: 'DE' },
        currency: 'EUR',
        paymentTerms: '30 days net after acceptance',
        requestedDeliveryDate: '2027-01-15',
        lines: Array.from({ length: count }, (_, i) => ({
          lineNo: i + 1,
          sku: `SKU-${(i * 7919) % 10_000}`,
          customerSku: `MT-${i}`,
          description: `Item ${i + 1}, stainless, 200 mm`,
          quantity: String((i % 9) + 1),
          uom: 'PCE',
          unitPrice: `${(i % 50) + 10}.25`,
          taxRatePct: '19',
        })),
      });
      const document = await generateOrders(order, { controlNumbers, sender: '14:4012345000009', receiver: '14:5412345000013', now: new Date('2026-11-23T10:55:00Z') });
      documents.push(document.body);
    }
  }
  return documents;
}

/** The hub's reader up to segments and envelope checks, without mapping: the like-for-like row. */
function segmentsOnly(body: Buffer): void {
  const head = readHead(body, 0, 0);
  const service = readServiceString(head, 0);
  if (!service.ok) throw new Error('bench input refused');
  const { text } = decodeBody(body, 0, syntaxIdentifierOf(head, service.chars, service.start));
  const tokens = tokenize(text, service.start, service.chars, { maxSegments: 100_000 });
  if (tokens.issue || readEnvelope(tokens.segments).issues.length > 0) throw new Error('bench input refused');
}

/** node-edifact collecting segments as its README shows; it reads neither envelope counts nor orders. */
function nodeEdifact(body: Buffer): unknown[] {
  const parser = new EdifactParser();
  parser.encoding('UNOC');
  const segments: { tag: string; elements: string[][] }[] = [];
  let elements: string[][] = [];
  let components: string[] = [];
  parser.on('opensegment', (tag) => {
    elements = [];
    segments.push({ tag, elements });
  });
  parser.on('element', () => {
    components = [];
    elements.push(components);
  });
  parser.on('component', (value) => components.push(value));
  parser.write(body.toString('latin1'));
  parser.end();
  return segments;
}

/**
 * EDIFACT ORDERS: the hub's parser (UNA, envelope counts, mapping to drafts, schema validation)
 * beside node-edifact (`edifact` on npm), the fastest EDIFACT parser that installs here and reads
 * these documents; ts-edifact installs too but throws on them (see connectors/edifact/README.md).
 * node-edifact only splits segments, so the hub's segments-only row is the like-for-like one.
 */
export async function bench(): Promise<BenchRow[]> {
  const inputs = await purchaseOrders();
  const ours = await measure(inputs, async (body) => {
    const result = await edifactOrdersParser.parse(body, { mapping: {} });
    if (!result.ok || result.orders.some((o) => !o.draft)) throw new Error(`bench input refused: ${JSON.stringify(result.issues)}`);
  });
  const segments = await measure(inputs, segmentsOnly);
  const version = (JSON.parse(readFileSync(require.resolve('edifact/package.json'), 'utf8')) as { version: string }).version;
  const theirs = await measure(inputs, nodeEdifact);
  return [
    { format: 'edifact-orders', implementation: 'order-hub (parse + mapping)', ...ours },
    { format: 'edifact-orders', implementation: 'order-hub (segments + envelope checks, no mapping)', ...segments },
    { format: 'edifact-orders', implementation: `edifact ${version} (segments only, no envelope checks)`, ...theirs },
  ];
}
