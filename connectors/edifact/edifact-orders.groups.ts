import type { Segment } from './edifact.tokenizer';

/**
 * A stretch of a message split the way its segment table nests it: `own` are the segments that
 * belong to the level itself (before any segment group starts), `groups` each start with one of
 * the trigger tags and hold everything up to the next trigger. Reading by level keeps a DTM of a
 * price (SG28) or a QTY of a delivery schedule (SG32) from being taken for the line's own.
 */
export interface Level {
  readonly own: readonly Segment[];
  readonly groups: readonly (readonly Segment[])[];
}

/**
 * Segment groups of one level: each trigger tag (the group's first segment) with the tags nested
 * inside it. A trigger that is also nested in the open group (RFF after NAD is SG3, not SG1)
 * stays in that group, as the segment table's order says.
 */
export type GroupTable = Readonly<Record<string, readonly string[]>>;

export function splitLevel(segments: readonly Segment[], table: GroupTable): Level {
  const own: Segment[] = [];
  const groups: Segment[][] = [];
  let open: string | undefined;
  for (const segment of segments) {
    const nested = open !== undefined && table[open]!.includes(segment.tag);
    if (!nested && Object.hasOwn(table, segment.tag)) {
      groups.push([segment]);
      open = segment.tag;
    } else if (groups.length > 0) groups[groups.length - 1]!.push(segment);
    else own.push(segment);
  }
  return { own, groups };
}

/** ORDERS header groups (D.96A and D.01B): SG1 RFF, SG2 NAD, SG6 TAX, SG7 CUX, SG8 PAT, SG9 TDT, SG11 TOD, SG12 PAC, SG14 EQD, SG15 SCC, SG17 APR, SG18 ALC, SG24 RCS. */
export const HEADER_GROUPS: GroupTable = {
  RFF: ['DTM'],
  NAD: ['LOC', 'FII', 'RFF', 'DTM', 'DOC', 'CTA', 'COM'],
  TAX: ['MOA', 'LOC'],
  CUX: ['PCD', 'DTM'],
  PAT: ['DTM', 'PCD', 'MOA'],
  TDT: ['LOC', 'DTM'],
  TOD: ['LOC'],
  PAC: ['MEA', 'PCI', 'RFF', 'DTM', 'GIN'],
  EQD: ['HAN', 'MEA', 'FTX'],
  SCC: ['FTX', 'RFF', 'QTY', 'DTM'],
  APR: ['DTM', 'RNG'],
  ALC: ['ALI', 'DTM', 'QTY', 'RNG', 'PCD', 'MOA', 'RTE', 'TAX'],
  RCS: ['RFF', 'DTM', 'FTX'],
};

/** ORDERS line groups inside SG25 LIN: SG28 PRI, SG29 RFF, SG30 PAC, SG32 LOC, SG33 TAX, SG35 NAD, SG39 ALC, SG44 TDT, SG45 TOD, SG47 EQD, SG48 SCC, SG50 RCS, SG51 STG. */
export const LINE_GROUPS: GroupTable = {
  PRI: ['CUX', 'APR', 'RNG', 'DTM'],
  RFF: ['DTM'],
  PAC: ['MEA', 'QTY', 'DTM', 'RFF', 'PCI', 'GIN'],
  LOC: ['QTY', 'DTM'],
  TAX: ['MOA', 'LOC'],
  NAD: ['LOC', 'RFF', 'DTM', 'DOC', 'CTA', 'COM'],
  ALC: ['ALI', 'DTM', 'QTY', 'RNG', 'PCD', 'MOA', 'RTE', 'TAX'],
  TDT: ['LOC', 'DTM'],
  TOD: ['LOC'],
  EQD: ['HAN', 'MEA', 'FTX'],
  SCC: ['FTX', 'RFF', 'QTY', 'DTM'],
  RCS: ['RFF', 'DTM', 'FTX'],
  STG: ['QTY', 'DTM'],
};

/** Summary section after UNS: its own MOA and CNT are read; ALC groups (D.01B) are set aside. */
export const SUMMARY_GROUPS: GroupTable = { ALC: ['ALI', 'MOA'] };

/** A message body cut into header, one list per LIN, and summary (after UNS). */
export interface MessageSections {
  readonly header: readonly Segment[];
  readonly lines: readonly (readonly Segment[])[];
  readonly summary: readonly Segment[];
  /** The UNS, where a missing line or total is reported when none exists. */
  readonly uns?: Segment;
}

export function splitSections(body: readonly Segment[]): MessageSections {
  const header: Segment[] = [];
  const lines: Segment[][] = [];
  const summary: Segment[] = [];
  let uns: Segment | undefined;
  for (const segment of body) {
    if (uns) summary.push(segment);
    // UNS+D (header/detail) is not used by ORDERS but harmless; UNS+S opens the summary.
    else if (segment.tag === 'UNS' && segment.elements[0]?.[0] !== 'D') uns = segment;
    else if (segment.tag === 'LIN') lines.push([segment]);
    else if (segment.tag === 'UNS') continue;
    else if (lines.length > 0) lines[lines.length - 1]!.push(segment);
    else header.push(segment);
  }
  return { header, lines, summary, uns };
}
