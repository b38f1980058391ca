import type { OrderDraftInput } from '../../core/order/order.types';
import type { EmailTemplate } from './email.mapping';
import type { MailParty } from './forwarded-email';
import type { OrderFieldName } from './labelled-fields';

/**
 * Who the order is for. The customer's name, best first: the template IT wrote for the sender's
 * domain; a labelled field in the customer's own message (客户：, Company:); the company line of
 * their signature; their display name; their address. The person who wrote stays the contact.
 */

/** How company names end, in Chinese and in the legal forms seen on English and German signatures. */
const COMPANY_LINE = /(有限公司|有限责任公司|股份公司|集团|公司|工厂|Co\.,?\s*Ltd\.?|Ltd\.?|Limited|Inc\.?|LLC|GmbH|Corp\.?|Corporation|AG)$/i;
/** A signature sits at the end of the message; its company line is within its last lines. */
const SIGNATURE_LINES = 12;
/** Longer lines are sentences, not a company name. */
const MAX_COMPANY_LENGTH = 80;

/** The draft's customer; no name only when the mail names nobody, which the order schema then rejects. */
export type DraftCustomer = Omit<OrderDraftInput['customer'], 'name'> & { name?: string };

export function draftCustomer(
  sender: MailParty,
  template: EmailTemplate,
  identity: Partial<Record<OrderFieldName, string>>,
  customerText: string,
): DraftCustomer {
  const name = template.customerName ?? identity.customerName ?? signatureCompany(customerText) ?? sender.name ?? sender.email;
  const contact = {
    ...(sender.name ? { name: sender.name } : {}),
    ...(sender.email ? { email: sender.email } : {}),
    ...(identity.phone ? { phone: identity.phone } : {}),
  };
  return { ...(template.customerId ? { id: template.customerId } : {}), ...(name ? { name } : {}), ...(Object.keys(contact).length > 0 ? { contact } : {}) };
}

export function draftOwner(owner: MailParty | undefined): OrderDraftInput['owner'] {
  if (!owner || (owner.name === undefined && owner.email === undefined)) return undefined;
  return { ...(owner.name ? { name: owner.name } : {}), ...(owner.email ? { email: owner.email } : {}) };
}

function signatureCompany(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines
    .slice(-SIGNATURE_LINES)
    .reverse()
    .find((line) => line.length <= MAX_COMPANY_LENGTH && !/[:：]/.test(line) && COMPANY_LINE.test(line.normalize('NFKC')));
}
