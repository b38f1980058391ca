import { documentIssue, SYNTAX_ERROR, type EdifactIssue } from './edifact.issue';
import type { ServiceCharacters } from './edifact.service-string';

/**
 * How each syntax identifier (UNB01-1) is decoded. UNOA and UNOB are ASCII subsets; they are read
 * as ISO 8859-1 like UNOC because senders that declare UNOA and send lower case are common
 * (node-edifact issue #22 shows what a strict repertoire check costs), and the hub does not
 * reject an order for its letters' case. UNOW (syntax 4) and UNOY are ISO 10646 in UTF-8; UNOX is
 * ISO 2022 with code extension, accepted only when it holds no escape sequence, which leaves UTF-8.
 */
const DECODERS: Readonly<Record<string, string>> = {
  UNOA: 'latin1',
  UNOB: 'latin1',
  UNOC: 'latin1',
  UNOD: 'iso-8859-2',
  UNOE: 'iso-8859-5',
  UNOF: 'iso-8859-7',
  UNOG: 'iso-8859-3',
  UNOH: 'iso-8859-4',
  UNOI: 'iso-8859-6',
  UNOJ: 'iso-8859-8',
  UNOK: 'iso-8859-9',
  UNOW: 'utf-8',
  UNOX: 'utf-8',
  UNOY: 'utf-8',
};

export const SYNTAX_IDENTIFIERS: readonly string[] = Object.keys(DECODERS);

/** Bytes looked at to find UNB01 before the body is decoded: UNA (9), white space, `UNB+UNOY`. */
const HEAD_BYTES = 512;
const ESC = 0x1b;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

/**
 * Reads UNB01-1 from the undecoded head. UNA and UNB up to the syntax identifier are ASCII in
 * every syntax level, so the head read as Latin-1 has the same character offsets as the text.
 */
export function syntaxIdentifierOf(head: string, chars: ServiceCharacters, unbAt: number): string {
  const from = unbAt + 4;
  let to = from;
  while (to < head.length && to - from < 8 && head[to] !== chars.component && head[to] !== chars.element && head[to] !== chars.terminator) to++;
  return head.slice(from, to);
}

/** The first bytes after `offset` and `skip` bytes of leading white space, as Latin-1. */
export function readHead(body: Buffer, offset: number, skip: number): string {
  return body.toString('latin1', offset, Math.min(body.length, offset + skip + HEAD_BYTES));
}

/**
 * Decodes the body for its syntax identifier. An unknown identifier is decoded as Latin-1 so the
 * envelope can still be read and the UNB01 problem reported where it is; bytes the declared
 * encoding cannot hold are an issue, and decoding goes on leniently for the same reason.
 */
export function decodeBody(body: Buffer, offset: number, syntaxIdentifier: string): { text: string; issue?: EdifactIssue } {
  const decoder = DECODERS[syntaxIdentifier] ?? 'latin1';
  if (decoder === 'latin1') return { text: body.toString('latin1', offset) };
  const bytes = body.subarray(offset);
  if (decoder !== 'utf-8') return { text: new TextDecoder(decoder).decode(bytes) };
  if (syntaxIdentifier === 'UNOX' && bytes.includes(ESC)) {
    return {
      text: utf8Lenient.decode(bytes),
      issue: documentIssue(`byte ${offset + bytes.indexOf(ESC)}`, 'edifact.syntax', SYNTAX_ERROR.invalidCharacter, 'UNOX code extension (ISO 2022 escape sequences) is not supported'),
    };
  }
  try {
    return { text: utf8Strict.decode(bytes) };
  } catch {
    return {
      text: utf8Lenient.decode(bytes),
      issue: documentIssue('body', 'edifact.syntax', SYNTAX_ERROR.invalidCharacter, `${syntaxIdentifier} declares UTF-8 but the body is not valid UTF-8`),
    };
  }
}

/** Outbound: the smallest syntax level that holds the text, ISO 8859-1 (UNOC) or UTF-8 (UNOY). */
export function outboundSyntax(text: string): { identifier: 'UNOC' | 'UNOY'; version: '3' | '4' } {
  // UNOY exists from syntax version 4 on; UNOC is understood by every partner since version 2.
  return /^[\u0000-\u00ff]*$/.test(text) ? { identifier: 'UNOC', version: '3' } : { identifier: 'UNOY', version: '4' };
}

export function encodeBody(text: string, identifier: 'UNOC' | 'UNOY'): Buffer {
  return Buffer.from(text, identifier === 'UNOC' ? 'latin1' : 'utf8');
}
