import type { ParseResult } from '../../../connectors/connector';
import { emailOrderParser } from '../../../connectors/email/email-order.parser';
import { HUB } from '../../fixtures/email/fixture-mails';
import { fixtureMapping } from '../../fixtures/email/generate';
import { writeMail, type Address, type Mail, type MimePart } from '../../fixtures/email/mime-writer';

/** A mail from a customer without a template, unless the test names another sender. */
export const CUSTOMER: Address = { name: '陈经理', email: 'chen@shjg.com.cn' };

export function mail(body: MimePart, headers: Partial<Omit<Mail, 'body'>> = {}): Buffer {
  return writeMail({ from: CUSTOMER, to: HUB, subject: '订单', date: 'Mon, 23 Nov 2026 09:00:00 +0800', messageId: 'test@order-hub.test', ...headers, body });
}

/** Parses with the fixtures' mapping.yaml unless `mapping` is given. */
export function parse(eml: Buffer, mapping: Record<string, unknown> = fixtureMapping()): Promise<ParseResult> {
  return emailOrderParser.parse(eml, { mapping });
}

/** The one order's draft, failing the test with the parser's answer when there is none. */
export function onlyDraft(result: ParseResult): NonNullable<ParseResult['orders'][number]['draft']> {
  const draft = result.orders[0]?.draft;
  if (!result.ok || result.orders.length !== 1 || !draft) throw new Error(`expected one order, got ${JSON.stringify(result)}`);
  return draft;
}
