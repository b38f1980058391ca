import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseX12Orders, type X12ParseResult } from '../../../connectors/x12/x12-850.parser';
import { readInterchange, type X12Interchange } from '../../../connectors/x12/x12-envelope';
import { readIsa } from '../../../connectors/x12/x12-isa';
import { readSegments } from '../../../connectors/x12/x12-reader';
import type { ControlNumbers, X12OutboundOptions } from '../../../connectors/x12/x12-writer';

export const FIXTURES = join(__dirname, '../../fixtures/x12');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function parse(body: string | Buffer, mapping: Record<string, unknown> = {}): Promise<X12ParseResult> {
  return parseX12Orders(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), { mapping });
}

/** Replaces exactly one occurrence, so a broken document is visibly one edit away from a good one. */
export function edit(document: string, from: string, to: string): string {
  const at = document.indexOf(from);
  if (at === -1 || document.indexOf(from, at + 1) !== -1) throw new Error(`expected exactly one ${JSON.stringify(from)} in the document`);
  return document.slice(0, at) + to + document.slice(at + from.length);
}

/** A control-number allocator that counts from 1 per scope, as the store's sequences do. */
export function counter(): ControlNumbers {
  const last = { isa: 0, gs: 0, st: 0 };
  return {
    next: async (scope) => {
      last[scope] += 1;
      return last[scope];
    },
  };
}

export function outbound(overrides: Partial<X12OutboundOptions> = {}): X12OutboundOptions {
  return { controlNumbers: counter(), sender: 'ZZ:ORDERHUB', receiver: 'ZZ:HARBORCO', now: new Date('2026-11-23T10:55:00Z'), ...overrides };
}

export interface ReadBack {
  /** The ISA as written, without its terminator. */
  readonly isa: string;
  /** Every segment after the ISA as `TAG*EL*EL`, whatever the separators. */
  readonly segments: readonly string[];
  readonly interchange: X12Interchange;
}

/** Reads a generated document with the hub's own reader and fails the test if its envelope is not sound. */
export function readBack(body: Buffer): ReadBack {
  const text = body.toString('utf8');
  const isa = readIsa(text, 0);
  if (!isa.ok) throw new Error(`ISA unreadable: ${JSON.stringify(isa.issues)}`);
  const read = readSegments(text, isa.end, isa.separators, { maxSegments: 100_000, maxSegmentLength: 4096 });
  if (!read.ok) throw new Error(`segments unreadable: ${JSON.stringify(read.issues)}`);
  const envelope = readInterchange(isa.isa, read.segments);
  const problems = [...envelope.issues, ...envelope.interchange.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])];
  if (problems.length > 0) throw new Error(`envelope not sound: ${JSON.stringify(problems)}`);
  return { isa: text.slice(0, 105), segments: read.segments.map((s) => s.elements.join('*')), interchange: envelope.interchange };
}
