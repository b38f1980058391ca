/**
 * What an ISA says about the interchange it opens, read loosely: split on the character after
 * "ISA", without the fixed widths `readIsa` insists on. A TA1 must be addressed to the sender and
 * name the interchange's control number, date and time, and it is owed precisely when the
 * interchange is broken, often in its ISA (an element a character short, a delimiter reused), so
 * these few fields are read from an ISA the strict reader refuses, as long as each of them is
 * itself well-formed.
 */
export interface X12InterchangeHeader {
  /** ISA05:ISA06, as `interchange.sender` spells it: 'ZZ:HARBORCO'. */
  readonly sender: string;
  /** ISA07:ISA08. */
  readonly receiver: string;
  /** ISA09, YYMMDD: TA102. */
  readonly date: string;
  /** ISA10, HHMM: TA103. */
  readonly time: string;
  /** ISA12 as received ('00501'), or '' when it is not five digits. */
  readonly version: string;
  /** ISA13 as nine digits: TA101. */
  readonly controlNumber: string;
  /** ISA14 is '1': the sender asks for a TA1 whatever the outcome. */
  readonly acknowledgmentRequested: boolean;
}

/**
 * How many characters from the start of the ISA are split: 106 when the widths are right, and
 * room for elements padded too long (an ISA06 of 20 characters) before giving up.
 */
export const HEADER_WINDOW = 256;
/** ISA13 must be followed by a separator inside the window, so it is whole and not cut. */
const ELEMENTS_NEEDED = 15;

/** Letters, digits, space and line breaks cannot be the element separator. */
function usableSeparator(ch: string): boolean {
  return ch !== '' && !/[A-Za-z0-9 \r\n\t]/.test(ch);
}

function qualified(qualifier: string | undefined, id: string | undefined): string | undefined {
  const q = (qualifier ?? '').trim();
  const i = (id ?? '').trim();
  return /^[A-Z0-9]{2}$/.test(q) && /^[\x21-\x7e](?:[\x20-\x7e]{0,14})$/.test(i) ? `${q}:${i}` : undefined;
}

/**
 * The header of the interchange starting at `text` (an ISA with nothing before it), or undefined
 * when sender, receiver, control number, date or time cannot be read: then nobody can be told.
 */
export function readInterchangeHeader(text: string): X12InterchangeHeader | undefined {
  if (!text.startsWith('ISA') || !usableSeparator(text.charAt(3))) return undefined;
  const elements = text.slice(0, HEADER_WINDOW).split(text.charAt(3));
  if (elements.length < ELEMENTS_NEEDED) return undefined;
  const sender = qualified(elements[5], elements[6]);
  const receiver = qualified(elements[7], elements[8]);
  const date = elements[9]!.trim();
  const time = elements[10]!.trim();
  const version = elements[12]!.trim();
  const controlNumber = elements[13]!.trim();
  if (!sender || !receiver || !/^\d{6}$/.test(date) || !/^\d{4}$/.test(time) || !/^\d{1,9}$/.test(controlNumber)) return undefined;
  return {
    sender,
    receiver,
    date,
    time,
    version: /^\d{5}$/.test(version) ? version : '',
    controlNumber: controlNumber.padStart(9, '0'),
    acknowledgmentRequested: (elements[14] ?? '').trim() === '1',
  };
}
