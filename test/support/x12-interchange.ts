/**
 * X12 850 interchanges for end-to-end tests, written the way a buyer's translator writes them
 * (005010, `*` `>` `^` `~`), with counts and control numbers computed, so a test states only what
 * it is about: which orders, which control number, which set is broken.
 */

export interface X12Line {
  readonly sku: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly uom?: string;
}

export interface X12Order {
  readonly poNumber: string;
  readonly lines: readonly X12Line[];
  /** CCYYMMDD, DTM*002. */
  readonly deliveryDate: string;
}

export interface X12InterchangeOptions {
  /** ISA13 and GS06. */
  readonly controlNumber: number;
  readonly orders: readonly X12Order[];
  /** ISA06/GS02. @defaultValue 'HARBORCO' */
  readonly sender?: string;
  /** ISA09/ISA10 and GS04/GS05: a re-sent interchange gets a new envelope time, not a new number. @defaultValue '2026-11-23T09:12:00Z' */
  readonly sentAt?: string;
}

function set(order: X12Order, st02: string): string[] {
  const segments = [
    `ST*850*${st02}`,
    `BEG*00*SA*${order.poNumber}**20261120`,
    'CUR*BY*USD',
    'ITD************Net 30 days after acceptance',
    `DTM*002*${order.deliveryDate}`,
    'N1*BY*Harbor Construction Inc.*92*HC-100',
    'PER*BD*Dana Ortiz*TE*+1 206 555 0134*EM*dana.ortiz@harbor.example',
    'N1*ST*Pier 46 Site Office*92*HC-SITE-46',
    'N3*2400 Alaskan Way',
    'N4*Seattle*WA*98121*US',
    ...order.lines.map((line, i) => `PO1*${i + 1}*${line.quantity}*${line.uom ?? 'EA'}*${line.unitPrice}**VP*${line.sku}`),
    `CTT*${order.lines.length}`,
  ];
  return [...segments, `SE*${segments.length + 1}*${st02}`];
}

export function x12Interchange(options: X12InterchangeOptions): string {
  const sender = options.sender ?? 'HARBORCO';
  const at = new Date(options.sentAt ?? '2026-11-23T09:12:00Z').toISOString();
  const date = at.slice(0, 10).replaceAll('-', '');
  const time = at.slice(11, 16).replace(':', '');
  const isa13 = String(options.controlNumber).padStart(9, '0');
  const sets = options.orders.flatMap((order, i) => set(order, String(i + 1).padStart(4, '0')));
  const segments = [
    `ISA*00*          *00*          *ZZ*${sender.padEnd(15)}*ZZ*${'ORDERHUB'.padEnd(15)}*${date.slice(2)}*${time}*^*00501*${isa13}*0*P*>`,
    `GS*PO*${sender}*ORDERHUB*${date}*${time}*${options.controlNumber}*X*005010`,
    ...sets,
    `GE*${options.orders.length}*${options.controlNumber}`,
    `IEA*1*${isa13}`,
  ];
  return segments.map((s) => `${s}~\n`).join('');
}
