import { ValidationError } from '../../core/errors/validation.error';
import type { OutboundDocument } from '../connector';
import { toX12Time } from './x12-values';

/** Allocates control numbers; the store's sequences in production, a counter in tests. */
export interface ControlNumbers {
  /** The next number for ISA13, GS06 or ST02: durable and never handed out twice. */
  next(scope: 'isa' | 'gs' | 'st'): Promise<number>;
}

export interface X12OutboundOptions {
  readonly controlNumbers: ControlNumbers;
  /** Our interchange id as 'QUALIFIER:ID', e.g. 'ZZ:ORDERHUB'; ISA05/ISA06 and GS02. */
  readonly sender: string;
  /** The partner's interchange id as 'QUALIFIER:ID'; ISA07/ISA08 and GS03. */
  readonly receiver: string;
  /** Stamped on ISA09/ISA10 and GS04/GS05, in UTC. */
  readonly now: Date;
  /** @defaultValue '005010' */
  readonly version?: '004010' | '005010';
  /** ISA15: production or test data. @defaultValue 'P' */
  readonly usage?: 'P' | 'T';
}

/** One segment: its tag then its elements; trailing empty elements are dropped when written. */
export type SegmentData = readonly [string, ...(string | undefined)[]];

export interface OutboundSet {
  /** ST01: '997', '855', '856', '810', '850'. */
  readonly id: string;
  /** Everything between ST and SE. */
  readonly segments: readonly SegmentData[];
}

/** What we write: '~' then a newline ends a segment, '*' separates elements, '>' components, '^' repeats (5010). */
const ELEMENT = '*';
const COMPONENT = '>';
const REPETITION = '^';
const TERMINATOR = '~';
const DELIMITERS = new Set([ELEMENT, COMPONENT, REPETITION, TERMINATOR, '\r', '\n']);

/** ISA13 and GS06 are at most nine digits; ST02 four to nine characters. */
const MAX_CONTROL_NUMBER = 999_999_999;

/**
 * Text from the order as an element value: X12 has no escape character, so a delimiter inside the
 * data would split it. Delimiters become spaces and the value is cut to the element's maximum.
 */
export function text(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  let out = '';
  for (const ch of value) out += DELIMITERS.has(ch) ? ' ' : ch;
  out = out.trim().slice(0, max);
  return out === '' ? undefined : out;
}

function parseParty(value: string, role: 'sender' | 'receiver'): { qualifier: string; id: string } {
  const colon = value.indexOf(':');
  const qualifier = value.slice(0, colon);
  const id = value.slice(colon + 1);
  if (colon !== 2 || !/^[A-Z0-9]{2}$/.test(qualifier) || id.length === 0 || id.length > 15 || [...id].some((ch) => DELIMITERS.has(ch))) {
    throw new ValidationError(`invalid X12 ${role} ${JSON.stringify(value)}`, [
      { path: role, message: "must be 'QUALIFIER:ID', a two-character qualifier and an id of at most 15 characters, e.g. 'ZZ:ORDERHUB'" },
    ]);
  }
  return { qualifier, id };
}

async function control(numbers: ControlNumbers, scope: 'isa' | 'gs' | 'st'): Promise<number> {
  const n = await numbers.next(scope);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONTROL_NUMBER) {
    throw new ValidationError(`control number ${n} for ${scope} is out of range`, [{ path: scope, message: `must be an integer from 1 to ${MAX_CONTROL_NUMBER}` }]);
  }
  return n;
}

function line(segment: SegmentData): string {
  const elements = [...segment];
  while (elements.length > 1 && (elements[elements.length - 1] ?? '') === '') elements.pop();
  return `${elements.map((e) => e ?? '').join(ELEMENT)}${TERMINATOR}\n`;
}

function isaSegment(options: X12OutboundOptions, isa13: string): string {
  const sender = parseParty(options.sender, 'sender');
  const receiver = parseParty(options.receiver, 'receiver');
  const stamp = options.now.toISOString();
  const fifty = (options.version ?? '005010') === '005010';
  const fields = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    sender.qualifier,
    sender.id.padEnd(15),
    receiver.qualifier,
    receiver.id.padEnd(15),
    `${stamp.slice(2, 4)}${stamp.slice(5, 7)}${stamp.slice(8, 10)}`,
    toX12Time(options.now),
    fifty ? REPETITION : 'U',
    fifty ? '00501' : '00401',
    isa13,
    '0',
    options.usage ?? 'P',
    COMPONENT,
  ];
  return `${fields.join(ELEMENT)}${TERMINATOR}\n`;
}

/**
 * Writes one interchange holding one functional group of the given sets, with every control
 * number allocated in order (ISA, GS, then each ST) and every count computed.
 *
 * @param functionalId GS01: 'FA' (997), 'PR' (855), 'SH' (856), 'IN' (810), 'PO' (850)
 * @param interchangeSegments written between the ISA and the GS: a TA1 answering the interchange
 *   the 997 in the group answers. @defaultValue []
 */
export async function writeInterchange(
  functionalId: string,
  sets: readonly OutboundSet[],
  options: X12OutboundOptions,
  interchangeSegments: readonly SegmentData[] = [],
): Promise<{ body: Buffer; controlNumber: string }> {
  const isa13 = String(await control(options.controlNumbers, 'isa')).padStart(9, '0');
  const gs06 = String(await control(options.controlNumbers, 'gs'));
  const version = options.version ?? '005010';
  const stamp = options.now.toISOString();
  let out = isaSegment(options, isa13);
  for (const segment of interchangeSegments) out += line(segment);
  out += line([
    'GS',
    functionalId,
    parseParty(options.sender, 'sender').id,
    parseParty(options.receiver, 'receiver').id,
    `${stamp.slice(0, 4)}${stamp.slice(5, 7)}${stamp.slice(8, 10)}`,
    toX12Time(options.now),
    gs06,
    'X',
    version,
  ]);
  for (const set of sets) {
    const st02 = String(await control(options.controlNumbers, 'st')).padStart(4, '0');
    out += line(['ST', set.id, st02]);
    for (const segment of set.segments) out += line(segment);
    out += line(['SE', String(set.segments.length + 2), st02]);
  }
  out += line(['GE', String(sets.length), gs06]);
  out += line(['IEA', '1', isa13]);
  return { body: Buffer.from(out, 'utf8'), controlNumber: isa13 };
}

/**
 * Writes an interchange of interchange-level segments and no functional group (a TA1 on its own):
 * ISA, the segments, IEA with a group count of 0. Only an ISA13 is drawn.
 */
export async function writeControlInterchange(segments: readonly SegmentData[], options: X12OutboundOptions): Promise<{ body: Buffer; controlNumber: string }> {
  // Checked before the number is drawn, so a sender or receiver that cannot be written leaves no gap.
  parseParty(options.sender, 'sender');
  parseParty(options.receiver, 'receiver');
  const isa13 = String(await control(options.controlNumbers, 'isa')).padStart(9, '0');
  let out = isaSegment(options, isa13);
  for (const segment of segments) out += line(segment);
  out += line(['IEA', '0', isa13]);
  return { body: Buffer.from(out, 'utf8'), controlNumber: isa13 };
}

/** The document as the hub hands it to a transport: `997-000000042.x12`. */
export function outboundDocument(transactionSet: string, written: { body: Buffer; controlNumber: string }): OutboundDocument {
  return {
    format: `x12-${transactionSet}`,
    fileName: `${transactionSet}-${written.controlNumber}.x12`,
    contentType: 'application/edi-x12',
    body: written.body,
  };
}
