import { decodeBody, readHead, syntaxIdentifierOf } from '../../../connectors/edifact/edifact.charset';
import { readServiceString } from '../../../connectors/edifact/edifact.service-string';
import { tokenize, type Segment } from '../../../connectors/edifact/edifact.tokenizer';
import { edifactOrdersParser, type EdifactParseResult } from '../../../connectors/edifact/edifact-orders.parser';
import type { OutboundOrder } from '../../../connectors/edifact/edifact-document.segments';
import type { ControlNumbers, EdifactOutboundOptions } from '../../../connectors/edifact/edifact.writer';
import type { OutboundDocument } from '../../../connectors/connector';

export const NOW = new Date('2026-11-23T10:55:00Z');

/** Control numbers from a counter per scope, as the store would hand them out; records each call. */
export function counter(start = 1): ControlNumbers & { readonly calls: string[] } {
  const next = new Map<string, number>();
  const calls: string[] = [];
  return {
    calls,
    async next(scope) {
      const n = next.get(scope) ?? start;
      next.set(scope, n + 1);
      calls.push(`${scope}:${n}`);
      return n;
    },
  };
}

export function outbound(overrides: Partial<EdifactOutboundOptions> & { documentNumber?: string } = {}): EdifactOutboundOptions & { documentNumber?: string } {
  return { controlNumbers: counter(), sender: '14:4012345000009', receiver: '14:5412345000013', now: NOW, ...overrides };
}

export function parse(input: string | Buffer, mapping: Record<string, unknown> = {}): Promise<EdifactParseResult> {
  return edifactOrdersParser.parse(typeof input === 'string' ? Buffer.from(input, 'latin1') : input, { mapping });
}

/**
 * A well-formed interchange around `messages` (each the segments between UNH and UNT, without
 * terminators), with correct counts and references, level A separators, one segment per line.
 */
export function interchange(messages: readonly (readonly string[])[], options: { control?: string; syntax?: string; version?: string } = {}): string {
  const control = options.control ?? 'IC1';
  const lines = [`UNB+${options.syntax ?? 'UNOC:3'}+SENDER:ZZ+RECEIVER:ZZ+260315:0930+${control}`];
  messages.forEach((body, i) => {
    const ref = String(i + 1);
    lines.push(`UNH+${ref}+ORDERS:${options.version ?? 'D:96A'}:UN`);
    for (const segment of body) lines.push(segment);
    lines.push(`UNT+${body.length + 2}+${ref}`);
  });
  lines.push(`UNZ+${messages.length}+${control}`);
  return lines.map((l) => `${l}'\n`).join('');
}

/** A minimal ORDERS body the default mapping takes. */
export const ORDER_BODY: readonly string[] = [
  'BGM+220+PO-1+9',
  'NAD+BY+CUST-1::92++Acme Bau',
  'CUX+2:EUR:9',
  'LIN+1++SKU-1:SA',
  'QTY+21:3',
  'PRI+AAA:10.50',
  'UNS+S',
  'CNT+2:1',
];

/** The segments of a generated document, read back with the hub's own tokenizer. */
export function segmentsOf(doc: OutboundDocument | Buffer): Segment[] {
  const body = Buffer.isBuffer(doc) ? doc : doc.body;
  const head = readHead(body, 0, 0);
  const service = readServiceString(head, 0);
  if (!service.ok) throw new Error(service.issue.message);
  const { text } = decodeBody(body, 0, syntaxIdentifierOf(head, service.chars, service.start));
  const tokens = tokenize(text, service.start, service.chars, { maxSegments: 100_000 });
  if (tokens.issue) throw new Error(tokens.issue.message);
  return [...tokens.segments];
}

/** `TAG+a:b+c` form of each segment, for readable assertions (release characters already removed). */
export function plain(segments: readonly Segment[]): string[] {
  return segments.map((s) => [s.tag, ...s.elements.map((e) => e.join(':'))].join('+'));
}

/** An order as intake would store it, with every field the EDIFACT documents carry. */
export function sampleOrder(overrides: Partial<OutboundOrder> = {}): OutboundOrder {
  return {
    poNumber: 'PO-2026-0815',
    customer: {
      id: '4012345000009',
      name: "O'Brien + Partner: Tiefbau? GmbH",
      taxId: 'DE123456789',
      contact: { name: 'Anna Weber', email: 'anna.weber@example.de', phone: '+49 711 1234567' },
    },
    shipTo: { name: 'Baustelle Neckarpark', street: 'Mercedesstraße 12', city: 'Stuttgart', postalCode: '70372', country: 'DE' },
    billTo: { name: 'Müller Tiefbau GmbH', street: 'Postfach 10 20 30', city: 'Stuttgart', postalCode: '70020', country: 'DE' },
    currency: 'EUR',
    paymentTerms: '30% advance, 70% within 30 days of acceptance',
    requestedDeliveryDate: '2027-01-15',
    specialRequirements: "Crane required on site; call 'Hans' first",
    notes: 'Gate 3 closes at 16:00. Deliver between 7:00 and 15:00 only, no deliveries on public holidays.',
    lines: [
      { lineNo: 1, sku: 'PUMP-200', customerSku: 'MT-4711', description: 'Submersible pump 200 mm, stainless', quantity: '2', uom: 'PCE', unitPrice: '12160.00', taxRatePct: '19', requestedDate: '2027-01-10' },
      { lineNo: 2, sku: 'VALVE-DN50', description: 'Gate valve DN50', quantity: '20', uom: 'PCE', unitPrice: '500.00', discountPct: '8', taxRatePct: '19' },
      { lineNo: 3, sku: 'CABLE:NYY+5x10', quantity: '150.5', uom: 'MTR', unitPrice: '4.80' },
    ],
    ...overrides,
  };
}
