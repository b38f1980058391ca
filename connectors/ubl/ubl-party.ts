import type { LooseDraft, XmlDraftSources } from '../shared/xml-draft';
import type { XmlElement } from '../shared/xml-path';
import type { UblMapping } from './ubl.mapping';

/** UBL parties and addresses → canonical customer and addresses. */

type LooseAddress = NonNullable<LooseDraft['shipTo']>;

/**
 * The customer party (mapping.customer.party): id and name from the configured sources in order,
 * VAT number from PartyTaxScheme/CompanyID, contact from Contact (Name, Telephone, ElectronicMail).
 */
export function readUblCustomer(order: XmlElement, mapping: UblMapping, src: XmlDraftSources): LooseDraft['customer'] {
  const { party: partyName } = mapping.customer;
  const party = order.descend(partyName, 'Party');
  if (!party) {
    src.problem(order.pathAlong(partyName, 'Party'), `cac:${partyName}/cac:Party is missing`, 'xml.required_missing', 'customer.name');
    return {};
  }
  const id = firstPresent(mapping.customer.id.map((source) => customerId(party, source)));
  const name = firstPresent(mapping.customer.name.map((source) => customerName(party, source)));
  const contact = party.child('Contact');
  return {
    id: src.from('customer.id', id?.path ?? party.path, id?.value),
    name: src.required('customer.name', name?.path ?? party.pathAlong('PartyName', 'Name'), name?.value, 'the customer party name'),
    taxId: src.from('customer.taxId', party.pathAlong('PartyTaxScheme', 'CompanyID'), party.textOf('PartyTaxScheme', 'CompanyID')),
    contact: contact && readContact(contact, src),
  };
}

interface Found {
  readonly value: string | undefined;
  readonly path: string;
}

function firstPresent(candidates: readonly Found[]): Found | undefined {
  return candidates.find((c) => c.value !== undefined);
}

function customerId(party: XmlElement, source: UblMapping['customer']['id'][number]): Found {
  switch (source) {
    case 'PartyIdentification':
      return { value: party.textOf('PartyIdentification', 'ID'), path: party.pathAlong('PartyIdentification', 'ID') };
    case 'EndpointID':
      return { value: party.textOf('EndpointID'), path: party.pathAlong('EndpointID') };
    case 'PartyLegalEntity':
      return { value: party.textOf('PartyLegalEntity', 'CompanyID'), path: party.pathAlong('PartyLegalEntity', 'CompanyID') };
  }
}

function customerName(party: XmlElement, source: UblMapping['customer']['name'][number]): Found {
  return source === 'PartyName'
    ? { value: party.textOf('PartyName', 'Name'), path: party.pathAlong('PartyName', 'Name') }
    : { value: party.textOf('PartyLegalEntity', 'RegistrationName'), path: party.pathAlong('PartyLegalEntity', 'RegistrationName') };
}

function readContact(contact: XmlElement, src: XmlDraftSources): NonNullable<LooseDraft['customer']>['contact'] {
  const details = {
    name: src.from('customer.contact.name', contact.pathAlong('Name'), contact.textOf('Name')),
    email: src.from('customer.contact.email', contact.pathAlong('ElectronicMail'), contact.textOf('ElectronicMail')),
    phone: src.from('customer.contact.phone', contact.pathAlong('Telephone'), contact.textOf('Telephone')),
  };
  return details.name ?? details.email ?? details.phone ? details : undefined;
}

/**
 * A UBL Address. The street is StreetName (with its BuildingNumber), AdditionalStreetName and each
 * AddressLine/Line, one per line of the canonical street; the generator writes them back the same way.
 */
export function readUblAddress(address: XmlElement | undefined, name: Found, at: 'shipTo' | 'billTo', src: XmlDraftSources): LooseAddress | undefined {
  if (!address && name.value === undefined) return undefined;
  const street = address?.textOf('StreetName');
  const building = address?.textOf('BuildingNumber');
  const lines = [
    street && building ? `${street} ${building}` : street,
    address?.textOf('AdditionalStreetName'),
    ...(address?.children('AddressLine').flatMap((l) => l.textOf('Line') ?? []) ?? []),
  ].filter((l): l is string => l !== undefined);
  const along = (...steps: string[]) => address?.pathAlong(...steps) ?? name.path;
  return {
    name: src.from(`${at}.name`, name.path, name.value),
    street: src.from(`${at}.street`, along('StreetName'), lines.length > 0 ? lines.join('\n') : undefined),
    city: src.from(`${at}.city`, along('CityName'), address?.textOf('CityName')),
    region: src.from(`${at}.region`, along('CountrySubentity'), address?.textOf('CountrySubentity')),
    postalCode: src.from(`${at}.postalCode`, along('PostalZone'), address?.textOf('PostalZone')),
    country: src.from(`${at}.country`, along('Country', 'IdentificationCode'), address?.textOf('Country', 'IdentificationCode')?.toUpperCase()),
  };
}
