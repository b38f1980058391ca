/**
 * Sales people forward customers' order mails to the hub's mailbox, so the sender of a mail is
 * often the salesperson, and the customer sits in a header block in the text. This unwraps those
 * blocks as the common clients write them, in English and Chinese (half- or full-width colons):
 *
 * - Gmail: `---------- Forwarded message ---------` / `---------- 转发的邮件 ---------`, then From/发件人 …
 * - Outlook: `-----Original Message-----` / `-----原始邮件-----`, then From/发件人, Sent/发送时间 …;
 *   newer Outlook writes no marker, only a rule and a `From: … Sent: … To: … Subject:` block
 * - Foxmail / QQ Mail: `------------------ 原始邮件 ------------------`, then `发件人: "张工"<a@b.cn>;` …
 * - Apple Mail: `Begin forwarded message:` / `开始转发的邮件：`, then From/发件人 …
 */

/** A person as a mail names them; either part may be missing (Exchange shows colleagues by name only). */
export interface MailParty {
  readonly name?: string;
  readonly email?: string;
}

export type ForwardStyle = 'gmail' | 'outlook' | 'foxmail' | 'apple' | 'header-block';

/** One forwarded (or quoted) message found in the text. */
export interface ForwardBlock {
  readonly style: ForwardStyle;
  readonly from: MailParty;
  readonly subject?: string;
  /** Offsets in the de-quoted text: where the marker (or the From line) starts, where its body starts. */
  readonly start: number;
  readonly bodyStart: number;
}

export interface UnwrappedMail {
  /** Blocks outermost first; empty for a mail written directly. */
  readonly blocks: readonly ForwardBlock[];
  /** Whose order it is: the innermost original sender outside the forwarder's domain, else the mail's sender. */
  readonly customer: MailParty;
  /** The salesperson who forwarded it (the mail's own sender), when the customer is someone else. */
  readonly owner?: MailParty;
  /**
   * Pieces of the text to look for order content in, best first: for a forwarded mail the
   * customer's message; for the customer's own mail (a reply, a colleague's mail passed on) the
   * newest text. `>`-quoted reply history is left out.
   */
  readonly sections: readonly string[];
}

const MARKERS: readonly { readonly pattern: RegExp; readonly style: (line: string) => ForwardStyle }[] = [
  { pattern: /^-{4,}\s*(forwarded message|转发的邮件|已转发邮件|轉寄的郵件)\s*-{4,}$/i, style: () => 'gmail' },
  // Foxmail pads 原始邮件 with 18 dashes and spaces; Outlook writes five dashes and no spaces.
  { pattern: /^-{3,}\s*(original message|原始邮件|原始郵件|邮件原件)\s*-{3,}$/i, style: (line) => (/^-{10,}\s/.test(line) ? 'foxmail' : 'outlook') },
  { pattern: /^(begin forwarded message|开始转发的邮件|開始轉寄的郵件)\s*[:：]?$/i, style: () => 'apple' },
];
/** The rule newer Outlook draws above a marker-less header block. */
const RULE = /^_{10,}$/;

const FROM_LABELS = ['from', '发件人', '寄件者', '寄件人'];
const DATE_LABELS = ['sent', 'date', '发送时间', '日期', '时间', '寄件日期', '傳送時間', '发送日期'];
const SUBJECT_LABELS = ['subject', '主题', '主旨', '主題'];
const OTHER_LABELS = ['to', 'cc', 'reply-to', '收件人', '抄送', '收件者', '副本', '回复'];
const ALL_LABELS = [...FROM_LABELS, ...DATE_LABELS, ...SUBJECT_LABELS, ...OTHER_LABELS].sort((a, b) => b.length - a.length);
/** A header label at the start of the line or after a space; Outlook's HTML sometimes puts the whole block on one line. */
const HEADER_LABEL = new RegExp(`(?:^|\\s)(${ALL_LABELS.map(escape).join('|')})\\s*[:：]`, 'giu');
const FROM_START = new RegExp(`^(${FROM_LABELS.join('|')})\\s*[:：]`, 'i');
/** The most header lines a block has (From, Sent, To, Cc, Subject, wrapped recipients); bounds the look-ahead. */
const MAX_HEADER_LINES = 12;
/**
 * A line quoted with `>`: history in a reply (Gmail, Apple Mail, Thunderbird plain text), never the
 * forwarded message itself, which no common client quotes. Read, it would turn the order a customer
 * sent last week, quoted under "please change the date", into a second order.
 */
const QUOTED = /^[ \t]*>/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

interface Line {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Finds the forwarded chain in a mail's text and says whose order it is. */
export function unwrapForwards(text: string, sender: MailParty): UnwrappedMail {
  const plain = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => !QUOTED.test(line))
    .join('\n');
  const blocks = findBlocks(plain);
  if (blocks.length === 0) return { blocks, customer: sender, sections: [plain] };
  const ends = [...blocks.map((b) => b.start), plain.length];
  const sectionText = [plain.slice(0, blocks[0]!.start), ...blocks.map((b, i) => plain.slice(b.bodyStart, ends[i + 1]))];
  const senderDomain = domainOf(sender.email);
  // A sender shown without an address is taken for a colleague: Exchange shows internal senders by name only.
  let chosen = blocks.length - 1;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const domain = domainOf(blocks[i]!.from.email);
    if (domain !== undefined && domain !== senderDomain) {
      chosen = i;
      break;
    }
  }
  const customer = blocks[chosen]!.from;
  if (domainOf(customer.email) === senderDomain) {
    // The customer's own company wrote every part (a reply, or a colleague's mail passed on): the newest text first.
    return { blocks, customer, sections: sectionText };
  }
  // Forwarded by a salesperson: the customer's message first, then what it quotes (older), then what colleagues wrote around it.
  const order = [chosen + 1, ...range(chosen + 2, sectionText.length), ...range(0, chosen + 1).reverse()];
  return { blocks, customer, owner: sender, sections: order.map((i) => sectionText[i]!) };
}

/** `Name <a@b.cn>`, `"张工"<a@b.cn>;`, `Name [mailto:a@b.cn]`, `a@b.cn`, or a bare name. */
export function partyOf(value: string): MailParty {
  const email = EMAIL.exec(value)?.[0]?.toLowerCase();
  const name = value
    .replace(/<[^>]*>/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(EMAIL, ' ')
    .replace(/["'“”‘’;,；，]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { ...(name !== '' && !name.includes('@') ? { name } : {}), ...(email ? { email } : {}) };
}

function domainOf(email: string | undefined): string | undefined {
  return email?.split('@')[1]?.toLowerCase();
}

function findBlocks(text: string): ForwardBlock[] {
  const lines = splitLines(text);
  const blocks: ForwardBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.text.trim();
    const marker = MARKERS.find((m) => m.pattern.test(line));
    const rule = !marker && RULE.test(line);
    // Every other line starts a block only if it starts with From/发件人: a cheap test before reading one.
    if (!marker && !rule && !FROM_START.test(line)) continue;
    const headerAt = marker || rule ? nextNonBlank(lines, i + 1) : i;
    const header = readHeader(lines, headerAt, marker !== undefined);
    if (!header) continue;
    blocks.push({ style: marker ? marker.style(line) : 'header-block', ...header, start: lines[i]!.start });
    i = header.lastLine;
  }
  return blocks;
}

/**
 * Reads the header block starting at `at`. After a marker a From field is enough; without one the
 * block must also carry a date and a subject, so that a sentence starting "From:" is not taken for it.
 */
function readHeader(lines: readonly Line[], at: number, afterMarker: boolean): { from: MailParty; subject?: string; bodyStart: number; lastLine: number } | undefined {
  const fields = new Map<string, string>();
  let last = -1;
  for (let i = at; i < lines.length && i < at + MAX_HEADER_LINES; i++) {
    const pairs = headerPairs(lines[i]!.text);
    if (pairs.length === 0) break;
    if (i === at && !FROM_LABELS.includes(pairs[0]![0])) return undefined;
    for (const [label, value] of pairs) if (!fields.has(label)) fields.set(label, value);
    last = i;
  }
  const from = FROM_LABELS.map((label) => fields.get(label)).find((v) => v !== undefined);
  if (from === undefined) return undefined;
  const has = (labels: readonly string[]): boolean => labels.some((label) => fields.has(label));
  if (!afterMarker && !(has(DATE_LABELS) && has(SUBJECT_LABELS))) return undefined;
  const subject = SUBJECT_LABELS.map((label) => fields.get(label)).find((v) => v !== undefined);
  return { from: partyOf(from), ...(subject ? { subject } : {}), bodyStart: lines[last]!.end + 1, lastLine: last };
}

/** The header fields of one line, labels lower-cased; none when the line does not start with a label. */
function headerPairs(line: string): [string, string][] {
  const trimmed = line.trim();
  if (!trimmed.includes(':') && !trimmed.includes('：')) return [];
  const matches = [...trimmed.matchAll(HEADER_LABEL)];
  if (matches.length === 0 || matches[0]!.index !== 0) return [];
  return matches.map((match, i) => {
    const valueStart = match.index + match[0].length;
    const valueEnd = matches[i + 1]?.index ?? trimmed.length;
    return [match[1]!.toLowerCase(), trimmed.slice(valueStart, valueEnd).trim()];
  });
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ text: part, start, end: start + part.length });
    start += part.length + 1;
  }
  return lines;
}

function nextNonBlank(lines: readonly Line[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i]!.text.trim() === '') i++;
  return i;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
