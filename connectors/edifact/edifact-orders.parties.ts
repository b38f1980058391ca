import { value } from './edifact.envelope';
import { SYNTAX_ERROR } from './edifact.issue';
import type { Segment } from './edifact.tokenizer';
import { joinText } from './edifact.values';
import { at, type DraftTrail } from './edifact-orders.trail';

/** A NAD group (SG2: NAD, LOC, FII, RFF-DTM, DOC-DTM, CTA-COM) as the canonical order needs it. */
export interface Party {
  readonly qualifier: string;
  readonly nad: Segment;
  readonly group: readonly Segment[];
}

export function partiesOf(groups: readonly (readonly Segment[])[]): Party[] {
  return groups.filter((g) => g[0]!.tag === 'NAD').map((group) => ({ qualifier: value(group[0]!, 1), nad: group[0]!, group }));
}

/** The first party whose qualifier is listed, in the list's order of preference. */
export function pickParty(parties: readonly Party[], qualifiers: readonly string[]): Party | undefined {
  for (const q of qualifiers) {
    const party = parties.find((p) => p.qualifier === q);
    if (party) return party;
  }
  return undefined;
}

/**
 * Party name: C080 (structured, NAD04) or else the first line of C058 (unstructured name and
 * address, NAD03). A party known only by its id (a GLN, as EANCOM senders do) is named by that id,
 * so the order is still taken and the customer master data can put a name to it.
 */
function nameOf(party: Party, trail: DraftTrail, path: string): string | undefined {
  const { nad } = party;
  const structured = joinText(nad.elements[3] ?? []);
  if (structured !== undefined) return trail.from(path, at(nad, 4, 1), structured);
  const unstructured = value(nad, 3, 1).trim();
  if (unstructured !== '') return trail.from(path, at(nad, 3, 1), unstructured);
  const id = value(nad, 2, 1).trim();
  return id === '' ? undefined : trail.from(path, at(nad, 2, 1), id);
}

export function readCustomer(party: Party, trail: DraftTrail) {
  const { nad, group } = party;
  const id = value(nad, 2, 1).trim();
  const vat = group.find((s) => s.tag === 'RFF' && value(s, 1, 1) === 'VA');
  return {
    id: id === '' ? undefined : trail.from('customer.id', at(nad, 2, 1), id),
    name: nameOf(party, trail, 'customer.name'),
    taxId: vat ? trail.from('customer.taxId', at(vat, 1, 2), value(vat, 1, 2)) : undefined,
    contact: readContact(group, trail),
  };
}

/** CTA names the contact person (C056 component 2), the COMs after it their channels (C076: number:channel). */
function readContact(group: readonly Segment[], trail: DraftTrail) {
  const cta = group.find((s) => s.tag === 'CTA');
  const coms = group.filter((s) => s.tag === 'COM');
  const channel = (code: string): Segment | undefined => coms.find((s) => value(s, 1, 2) === code);
  const email = channel('EM');
  const phone = channel('TE');
  const name = cta ? value(cta, 2, 2).trim() : '';
  if (name === '' && !email && !phone) return undefined;
  return {
    name: name === '' ? undefined : trail.from('customer.contact.name', at(cta!, 2, 2), name),
    email: email ? trail.from('customer.contact.email', at(email, 1, 1), value(email, 1, 1)) : undefined,
    phone: phone ? trail.from('customer.contact.phone', at(phone, 1, 1), value(phone, 1, 1)) : undefined,
  };
}

/** NAD05 street (C059), NAD06 city, NAD07 region (C819), NAD08 postal code, NAD09 country. */
export function readAddress(party: Party, trail: DraftTrail, path: 'shipTo' | 'billTo') {
  const { nad } = party;
  const text = (element: number, component: number | undefined, field: string): string | undefined => {
    const v = value(nad, element, 1).trim();
    return v === '' ? undefined : trail.from(`${path}.${field}`, at(nad, element, component), v);
  };
  const country = value(nad, 9, 1).trim();
  if (country !== '' && !/^[A-Za-z]{2}$/.test(country)) {
    trail.issue(`${path}.country`, at(nad, 9), SYNTAX_ERROR.invalidValue, `${path} country ${JSON.stringify(country)} is not an ISO 3166 two-letter code`);
  }
  const street = joinText(nad.elements[4] ?? []);
  return {
    name: nameOf(party, trail, `${path}.name`),
    street: street === undefined ? undefined : trail.from(`${path}.street`, at(nad, 5, 1), street),
    city: text(6, undefined, 'city'),
    region: text(7, 1, 'region'),
    postalCode: text(8, undefined, 'postalCode'),
    country: /^[A-Za-z]{2}$/.test(country) ? trail.from(`${path}.country`, at(nad, 9), country.toUpperCase()) : undefined,
  };
}
