import type { OutboundDocument } from '../connector';
import { encodeBody, outboundSyntax } from './edifact.charset';
import { LEVEL_A, type ServiceCharacters } from './edifact.service-string';

/** An element to write: a simple value, or the components of a composite; absent ones stay empty. */
export type OutElement = string | undefined | readonly (string | undefined)[];
/** A segment to write: its tag, then its data elements in order. */
export type OutSegment = readonly [tag: string, ...elements: OutElement[]];

/** Where control numbers come from; the store allocates them durably, tests pass a counter. */
export interface ControlNumbers {
  /** The next interchange (UNB05) or message (UNH01) reference; never handed out twice. */
  next(scope: 'unb' | 'unh'): Promise<number>;
}

/** What every outbound EDIFACT document needs besides its content. */
export interface EdifactOutboundOptions {
  readonly controlNumbers: ControlNumbers;
  /** UNB02, the hub's own id, as `qualifier:id` (`14:4012345000009`) or a bare id. */
  readonly sender: string;
  /** UNB03, the partner's id, in the same form (a parse result's `interchange.sender` fits as is). */
  readonly receiver: string;
  /** Preparation date and time (UNB04, DTM+137), taken in UTC. */
  readonly now: Date;
  /**
   * Directory of the message (UNH02 version:release).
   * @defaultValue 'D:96A'
   */
  readonly version?: 'D:96A' | 'D:01B';
}

/** One message to wrap in UNH … UNT: its identifier (UNH02) and the segments between. */
export interface OutMessage {
  readonly identifier: readonly string[];
  readonly body: readonly OutSegment[];
}

/**
 * Puts the release character before every character that would otherwise end a component,
 * element or segment, and before itself (ISO 9735-1 §7.2).
 */
export function escape(value: string, chars: ServiceCharacters = LEVEL_A): string {
  const special = [chars.release, chars.component, chars.element, chars.terminator].filter((c): c is string => c !== undefined);
  let out = '';
  for (const c of value) out += special.includes(c) ? `${chars.release}${c}` : c;
  return out;
}

/** Writes one segment; trailing empty components and elements are left out, as ISO 9735-1 §7.1 asks. */
export function writeSegment(segment: OutSegment, chars: ServiceCharacters = LEVEL_A): string {
  const [tag, ...elements] = segment;
  const written = elements.map((e) => {
    const components = (typeof e === 'string' || e === undefined ? [e] : e).map((c) => escape(c ?? '', chars));
    return trimTrailing(components).join(chars.component);
  });
  return [tag, ...trimTrailing(written)].join(chars.element) + chars.terminator;
}

function trimTrailing(values: string[]): string[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === '') end--;
  return values.slice(0, end);
}

/** `qualifier:id` or `id` → the S002/S003 components [id, qualifier]. */
export function partyComponents(party: string): string[] {
  const cut = party.indexOf(':');
  return cut < 0 ? [party] : [party.slice(cut + 1), party.slice(0, cut)];
}

/** UNH02 for a message type in the chosen directory. */
export function messageIdentifier(type: string, version: EdifactOutboundOptions['version'] = 'D:96A'): string[] {
  const [v, release] = version.split(':') as [string, string];
  return [type, v, release, 'UN'];
}

const UNA = `UNA${LEVEL_A.component}${LEVEL_A.element}${LEVEL_A.decimal}${LEVEL_A.release}${LEVEL_A.repetition}${LEVEL_A.terminator}`;

/**
 * Wraps messages in an interchange: UNA, UNB with a fresh control reference, UNH/UNT around
 * each message with its own reference and segment count, UNZ. `build` gets the control reference
 * first, so a document number may default to it (unique, since control numbers never repeat). The syntax level is the smallest
 * that holds the text: UNOC (ISO 8859-1, syntax 3) or UNOY (UTF-8, syntax 4, e.g. for Chinese).
 */
export async function writeInterchange(
  format: string,
  filePrefix: string,
  build: (controlNumber: string) => readonly OutMessage[],
  options: EdifactOutboundOptions,
): Promise<OutboundDocument & { readonly controlNumber: string }> {
  const controlNumber = String(await options.controlNumbers.next('unb'));
  const messages = build(controlNumber);
  const written: string[] = [];
  for (const message of messages) {
    const ref = String(await options.controlNumbers.next('unh'));
    const segments: OutSegment[] = [['UNH', ref, message.identifier], ...message.body];
    segments.push(['UNT', String(segments.length + 1), ref]);
    written.push(segments.map((s) => writeSegment(s)).join(''));
  }
  const body = written.join('');
  const syntax = outboundSyntax(body + options.sender + options.receiver);
  const stamp = options.now.toISOString();
  const date = syntax.version === '4' ? stamp.slice(0, 10).replaceAll('-', '') : stamp.slice(2, 10).replaceAll('-', '');
  const unb = writeSegment([
    'UNB',
    [syntax.identifier, syntax.version],
    partyComponents(options.sender),
    partyComponents(options.receiver),
    [date, stamp.slice(11, 16).replace(':', '')],
    controlNumber,
  ]);
  const unz = writeSegment(['UNZ', String(messages.length), controlNumber]);
  return {
    format,
    fileName: `${filePrefix}-${controlNumber}.edi`,
    contentType: 'application/edifact',
    body: encodeBody(`${UNA}${unb}${body}${unz}`, syntax.identifier),
    controlNumber,
  };
}
