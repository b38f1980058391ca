import { xpathWhereChild, type XmlElement } from '../shared/xml-path';

/** Reading IDoc XML segments: qualified segments, SAP dates, and the names of missing ones. */

/** The first segment whose `field` holds the first of `codes` that occurs (codes in preference order). */
export function qualified(parent: XmlElement, segment: string, field: string, codes: readonly string[]): XmlElement | undefined {
  const candidates = parent.children(segment);
  for (const code of codes) {
    const found = candidates.find((s) => s.textOf(field) === code);
    if (found) return found;
  }
  return undefined;
}

/** XPath of `segment[field='code']/child`, for naming a qualified segment that is not there. */
export function qualifiedPath(parent: XmlElement, segment: string, field: string, code: string, child: string): string {
  return parent.pathTo(xpathWhereChild(segment, field, code), child);
}

/**
 * SAP writes dates as YYYYMMDD and an unset date as 00000000 (or blanks, trimmed away); the first
 * is read as an ISO date, the second as absent. Anything else is returned for the schema to refuse.
 */
export function sapDate(value: string | undefined): string | undefined {
  if (value === undefined || /^0{8}$/.test(value)) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}

/** `2026-05-01` → `20260501`. */
export function toSapDate(isoDate: string): string {
  return isoDate.slice(0, 10).replaceAll('-', '');
}
