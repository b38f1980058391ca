import { ValidationError } from '../../core/errors/validation.error';
import type { CanonicalOrder, OrderLine } from '../../core/order/order.types';
import { text, type SegmentData } from './x12-writer';

/**
 * Segments the outbound documents share, built the way the 850 parser reads them back: N1 loops
 * for parties, VP/BP product IDs for SKU and customer SKU, ITD12 for payment terms.
 */

type Address = NonNullable<CanonicalOrder['shipTo']>;
type Contact = NonNullable<CanonicalOrder['customer']['contact']>;

/** X12 maximum lengths of the free-text elements written (5010 dictionary). */
const MAX = { name: 60, street: 55, city: 30, postalCode: 15, contactName: 60, phone: 256, email: 256, description: 80, terms: 80 } as const;

/** An identifier (PO, SKU, tracking number) keeps every character; it is never cut, only cleared of delimiters. */
export function identifier(value: string | undefined): string | undefined {
  return text(value, Number.MAX_SAFE_INTEGER);
}

/** N1 (with N104 under qualifier 92, assigned by the buyer), N3, N4 and PER, each only when it has data. */
export function partyLoop(entity: string, party: Partial<Address> & { id?: string }, contact?: Contact): SegmentData[] {
  const segments: SegmentData[] = [['N1', entity, text(party.name, MAX.name), party.id ? '92' : undefined, identifier(party.id)]];
  if (party.street) segments.push(['N3', text(party.street, MAX.street)]);
  if (party.city || party.region || party.postalCode || party.country) {
    segments.push(['N4', text(party.city, MAX.city), text(party.region, MAX.city), text(party.postalCode, MAX.postalCode), party.country]);
  }
  if (contact && (contact.name || contact.phone || contact.email)) {
    const pairs = [
      ...(contact.phone ? ['TE', text(contact.phone, MAX.phone)] : []),
      ...(contact.email ? ['EM', text(contact.email, MAX.email)] : []),
    ];
    segments.push(['PER', 'BD', text(contact.name, MAX.contactName), ...pairs]);
  }
  return segments;
}

/** PO106/PO107 onwards (and IT1, LIN): VP = our SKU, BP = the customer's part number. */
export function productIds(line: OrderLine): string[] {
  return ['VP', identifier(line.sku) ?? '', ...(line.customerSku ? ['BP', identifier(line.customerSku) ?? ''] : [])];
}

/** PID*F with the description, when the line has one. */
export function description(line: OrderLine): SegmentData[] {
  return line.description ? [['PID', 'F', undefined, undefined, undefined, text(line.description, MAX.description)]] : [];
}

/** ITD with the terms as free text in ITD12; the parser reads ITD12 first. */
export function paymentTerms(order: CanonicalOrder): SegmentData[] {
  if (!order.paymentTerms) return [];
  return [['ITD', ...Array<undefined>(11).fill(undefined), text(order.paymentTerms, MAX.terms)]];
}

/** The partner's PO number; documents answering a PO cannot be matched without it. */
export function requirePoNumber(order: CanonicalOrder, document: string): string {
  const po = identifier(order.poNumber);
  if (!po) throw new ValidationError(`order ${order.id} has no PO number; a ${document} must name the partner's PO`, [{ path: 'poNumber', message: 'is required' }]);
  return po;
}
