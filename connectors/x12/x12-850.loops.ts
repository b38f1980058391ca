import type { X12Mapping } from './x12.mapping';
import { elementAt, type X12Segment } from './x12-segments';

/** An N1 loop: the party and the segments that describe it. */
export interface PartyLoop {
  readonly n1: X12Segment;
  readonly n2: X12Segment[];
  readonly n3: X12Segment[];
  n4?: X12Segment;
  per?: X12Segment;
}

/** A PO1 loop: one order line and what the mapping reads from its loop. */
export interface LineLoop {
  readonly po1: X12Segment;
  /** PID segments with PID01 = F (free-form description). */
  readonly pids: X12Segment[];
  readonly dates: X12Segment[];
}

/** The segments of one 850 that the mapping reads, grouped by the loop they sit in. */
export interface Order850Loops {
  beg?: X12Segment;
  cur?: X12Segment;
  /** REF whose REF01 is `mapping.poNumberRef`. */
  poRef?: X12Segment;
  /** Header PER: the buyer's contact when its N1 loop has none. */
  per?: X12Segment;
  itd?: X12Segment;
  readonly dates: X12Segment[];
  /** Header NTE (4010) and MSG (5010) free text. */
  readonly notes: X12Segment[];
  /** First N1 loop per N101 entity code. */
  readonly parties: Map<string, PartyLoop>;
  readonly lines: LineLoop[];
  ctt?: X12Segment;
  /** AMT segments whose AMT01 is a `mapping.totals.gross` qualifier. */
  readonly amounts: X12Segment[];
}

/** Where the walk is: header, an N1 loop, a PO1 loop (with its own N1 loops, unmapped) or the summary. */
type Area = 'header' | 'party' | 'line' | 'lineParty' | 'summary';

/**
 * Walks one set's segments once and sorts them into loops by the 850's segment order: N1 opens a
 * party loop, PO1 a line loop, CTT the summary. Segments the mapping does not read are passed over,
 * so partner extras (PKG, TD5, PO4, SAC …) never get in the way.
 */
export function collect850Loops(segments: readonly X12Segment[], mapping: X12Mapping): Order850Loops {
  const loops: Order850Loops = { dates: [], notes: [], parties: new Map(), lines: [], amounts: [] };
  let area: Area = 'header';
  let party: PartyLoop | undefined;
  let line: LineLoop | undefined;
  const inHeader = () => area === 'header' || area === 'party';

  for (const segment of segments) {
    const qualifier = elementAt(segment, 1);
    switch (segment.tag) {
      case 'BEG':
        loops.beg ??= segment;
        break;
      case 'CUR':
        if (inHeader()) loops.cur ??= segment;
        break;
      case 'REF':
        if (inHeader() && qualifier === mapping.poNumberRef) loops.poRef ??= segment;
        break;
      case 'PER':
        if (area === 'party' && party) party.per ??= segment;
        else if (area === 'header') loops.per ??= segment;
        break;
      case 'ITD':
        if (inHeader()) loops.itd ??= segment;
        break;
      case 'DTM':
        if (area === 'line' && line) line.dates.push(segment);
        else if (inHeader()) loops.dates.push(segment);
        break;
      case 'NTE':
      case 'MSG':
        if (area === 'header') loops.notes.push(segment);
        break;
      case 'N1':
        if (area === 'line' || area === 'lineParty') {
          area = 'lineParty';
          break;
        }
        area = 'party';
        party = { n1: segment, n2: [], n3: [] };
        if (!loops.parties.has(qualifier)) loops.parties.set(qualifier, party);
        break;
      case 'N2':
        if (area === 'party') party?.n2.push(segment);
        break;
      case 'N3':
        if (area === 'party') party?.n3.push(segment);
        break;
      case 'N4':
        if (area === 'party' && party) party.n4 ??= segment;
        break;
      case 'PO1':
        area = 'line';
        line = { po1: segment, pids: [], dates: [] };
        loops.lines.push(line);
        break;
      case 'PID':
        if (area === 'line' && line && qualifier === 'F') line.pids.push(segment);
        break;
      case 'CTT':
        area = 'summary';
        loops.ctt ??= segment;
        break;
      case 'AMT':
        if (area !== 'line' && area !== 'lineParty' && mapping.totals.gross.includes(qualifier)) loops.amounts.push(segment);
        break;
    }
  }
  return loops;
}

/** The first segment whose 01 qualifier is wanted, trying the wanted qualifiers in order. */
export function byQualifier(segments: readonly X12Segment[], wanted: readonly string[]): X12Segment | undefined {
  for (const q of wanted) {
    const hit = segments.find((s) => elementAt(s, 1) === q);
    if (hit) return hit;
  }
  return undefined;
}
