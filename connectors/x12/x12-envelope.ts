import { elementAt, segmentIssue, type X12Issue, type X12Segment } from './x12-segments';

/** One ST…SE transaction set; `issues` are its trailer problems (the set is then rejected). */
export interface X12TransactionSet {
  /** ST01: '850', '855' … */
  readonly id: string;
  /** ST02. */
  readonly controlNumber: string;
  /** ST through SE, both included. */
  readonly segments: readonly X12Segment[];
  readonly issues: readonly X12Issue[];
}

/** One GS…GE functional group; `issues` are group-level problems (the whole group is then rejected). */
export interface X12FunctionalGroup {
  readonly header: X12Segment;
  /** GS01: 'PO' for purchase orders. */
  readonly functionalId: string;
  /** GS06. */
  readonly controlNumber: string;
  /** GS08: '004010', '005010X…'. */
  readonly version: string;
  /** GE01 as received: the count the sender declared. */
  readonly declaredSets: string;
  readonly sets: readonly X12TransactionSet[];
  readonly issues: readonly X12Issue[];
}

export interface X12Interchange {
  readonly isa: X12Segment;
  readonly groups: readonly X12FunctionalGroup[];
}

export type InterchangeRead =
  /** `issues` empty when ok; else they say why the interchange as a whole cannot be taken. */
  { readonly ok: boolean; readonly interchange: X12Interchange; readonly issues: readonly X12Issue[] };

/** 004010 and 005010, with any implementation suffix (004010VICS, 005010X222A1). */
const SUPPORTED_VERSIONS = ['004010', '005010'] as const;

/** N0 control numbers and counts compare by value: "0001" and "1" are the same number. */
function sameNumber(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/^0+(?=\d)/, '');
  return strip(a) === strip(b);
}

interface OpenGroup {
  header: X12Segment;
  sets: X12TransactionSet[];
  issues: X12Issue[];
}

interface OpenSet {
  header: X12Segment;
  segments: X12Segment[];
}

/**
 * Checks the envelope: ISA/IEA, GS/GE and ST/SE nesting, counts and control numbers. Problems are
 * kept at the level a 997 reports them: a set's trailer (SE01, SE02) rejects that set, a group's
 * (GE01, GE02, GS08) that group; nesting, truncation and the IEA reject the whole interchange.
 */
export function readInterchange(isa: X12Segment, segments: readonly X12Segment[]): InterchangeRead {
  const groups: X12FunctionalGroup[] = [];
  let group: OpenGroup | undefined;
  let set: OpenSet | undefined;
  const broken = (segment: X12Segment, message: string, code: X12Issue['code'] = 'x12.structure'): InterchangeRead => ({
    ok: false,
    interchange: { isa, groups },
    issues: [segmentIssue(code, segment, message)],
  });

  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    switch (segment.tag) {
      case 'ISA':
        return broken(segment, 'a second ISA before the IEA of the first: the interchange is not closed');
      case 'TA1':
        // Interchange acknowledgments sit between the ISA and the first GS (a partner's answer to
        // an interchange of ours may hold only them); they are not read, and are not an error.
        if (group || groups.length > 0) return broken(segment, 'TA1 after a functional group: TA1 segments come between the ISA and the first GS');
        break;
      case 'GS':
        if (group) return broken(segment, `GS before the GE of group ${elementAt(group.header, 6)}: a GE is missing`);
        group = { header: segment, sets: [], issues: [] };
        break;
      case 'ST':
        if (!group) return broken(segment, 'ST outside a functional group (no GS before it)');
        if (set) return broken(segment, `ST before the SE of set ${elementAt(set.header, 2)}: an SE is missing`);
        set = { header: segment, segments: [segment] };
        break;
      case 'SE':
        if (!group || !set) return broken(segment, 'SE without an ST before it');
        set.segments.push(segment);
        group.sets.push(closeSet(set, segment, group.sets));
        set = undefined;
        break;
      case 'GE':
        if (set) return broken(segment, `GE before the SE of set ${elementAt(set.header, 2)}: an SE is missing`);
        if (!group) return broken(segment, 'GE without a GS before it');
        groups.push(closeGroup(group, segment));
        group = undefined;
        break;
      case 'IEA': {
        if (group) return broken(segment, `IEA before the GE of group ${elementAt(group.header, 6)}: a GE is missing`);
        const trailing = segments[i + 1];
        if (trailing) return broken(trailing, 'data after the IEA: one interchange per document');
        const issues = closeInterchange(isa, segment, groups.length);
        return { ok: issues.length === 0, interchange: { isa, groups }, issues };
      }
      default:
        if (!set) return broken(segment, `${segment.tag} outside a transaction set (no ST before it)`);
        set.segments.push(segment);
    }
  }
  const last = segments[segments.length - 1] ?? isa;
  const missing = set ? 'SE, GE and IEA' : group ? 'GE and IEA' : 'IEA';
  return broken(last, `the interchange ends without its ${missing} (truncated)`, 'x12.truncated');
}

function closeSet(set: OpenSet, trailer: X12Segment, earlier: readonly X12TransactionSet[]): X12TransactionSet {
  const issues: X12Issue[] = [];
  const controlNumber = elementAt(set.header, 2);
  const count = elementAt(trailer, 1);
  if (!sameNumber(count, String(set.segments.length))) {
    issues.push(segmentIssue('x12.set_count', trailer, `SE01 says ${count} segments; the set has ${set.segments.length} (ST and SE included)`, 1));
  }
  if (elementAt(trailer, 2) !== controlNumber) {
    issues.push(segmentIssue('x12.set_control_number', trailer, `SE02 ${elementAt(trailer, 2)} does not match ST02 ${controlNumber}`, 2));
  }
  if (earlier.some((s) => s.controlNumber === controlNumber)) {
    issues.push(segmentIssue('x12.set_duplicate', set.header, `ST02 ${controlNumber} is used twice in this group`, 2));
  }
  return { id: elementAt(set.header, 1), controlNumber, segments: set.segments, issues };
}

function closeGroup(group: OpenGroup, trailer: X12Segment): X12FunctionalGroup {
  const issues = [...group.issues];
  const controlNumber = elementAt(group.header, 6);
  const version = elementAt(group.header, 8);
  if (!SUPPORTED_VERSIONS.some((v) => version.startsWith(v))) {
    issues.push(segmentIssue('x12.group_version', group.header, `unsupported version ${version || '(empty)'}; 004010 and 005010 are read`, 8));
  }
  const declared = elementAt(trailer, 1);
  if (!sameNumber(declared, String(group.sets.length))) {
    issues.push(segmentIssue('x12.group_count', trailer, `GE01 says ${declared} transaction sets; the group has ${group.sets.length}`, 1));
  }
  if (!sameNumber(elementAt(trailer, 2), controlNumber)) {
    issues.push(segmentIssue('x12.group_control_number', trailer, `GE02 ${elementAt(trailer, 2)} does not match GS06 ${controlNumber}`, 2));
  }
  return { header: group.header, functionalId: elementAt(group.header, 1), controlNumber, version, declaredSets: declared, sets: group.sets, issues };
}

function closeInterchange(isa: X12Segment, trailer: X12Segment, groupCount: number): X12Issue[] {
  const issues: X12Issue[] = [];
  const declared = elementAt(trailer, 1);
  if (!sameNumber(declared, String(groupCount))) {
    issues.push(segmentIssue('x12.interchange_count', trailer, `IEA01 says ${declared} functional groups; the interchange has ${groupCount}`, 1));
  }
  const control = elementAt(isa, 13);
  if (elementAt(trailer, 2) !== control) {
    issues.push(segmentIssue('x12.interchange_control_number', trailer, `IEA02 ${elementAt(trailer, 2)} does not match ISA13 ${control}`, 2));
  }
  return issues;
}
