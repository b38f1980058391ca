import type { ErrorDetail } from '../../core/errors/hub-error';
import { orderDraftSchema } from '../../core/order/order.schema';
import type { OrderDraftInput } from '../../core/order/order.types';
import type { ParsedOrder } from '../connector';
import { formatPath } from '../rest-api/zod-details';
import type { EmailTemplate } from './email.mapping';
import { SPREADSHEET_FORMAT } from './email-attachments';
import type { DraftCustomer } from './email-customer';
import type { BodyOrderFields } from './mail-body';
import { orderLines, type RawItem } from './order-lines';

/** Who the mail's orders belong to: the customer and, for a forwarded mail, the salesperson. */
export interface MailParties {
  readonly customer: DraftCustomer;
  readonly owner?: OrderDraftInput['owner'];
}

/** The order written in the mail's text: its lines, the fields it states, the mail's parties. */
export function bodyOrder(items: readonly RawItem[], fields: BodyOrderFields, parties: MailParties, currency: string, template: EmailTemplate): ParsedOrder {
  const { lines, issues } = orderLines(items, template);
  issues.push(...Object.values(fields.problems));
  const draft = { customer: parties.customer, ...(parties.owner ? { owner: parties.owner } : {}), ...fields.values, currency, lines };
  return validated('body', draft, issues, items);
}

/**
 * An order read from an attachment, completed with what the mail knows. A sheet rarely says who
 * sent it or the PO, so a sheet's order takes the mail's customer and fills what it leaves open
 * from the body; an EDI or XML document names its own buyer and keeps it.
 */
export function attachmentOrder(order: ParsedOrder, format: string, fields: BodyOrderFields, parties: MailParties): ParsedOrder {
  if (!order.draft) return order;
  const draft: Record<string, unknown> = { ...order.draft };
  const issues: ErrorDetail[] = [];
  if (format === SPREADSHEET_FORMAT) {
    draft.customer = parties.customer;
    for (const [key, value] of Object.entries(fields.values)) draft[key] ??= value;
    // The sheet's currency came from the mail, so an unreadable 币种 in the body spoils it too.
    for (const [key, problem] of Object.entries(fields.problems)) if (key === 'currency' || order.draft[key as keyof typeof order.draft] === undefined) issues.push(problem);
  }
  if (parties.owner) draft.owner ??= parties.owner;
  return validated(order.ref, draft, issues);
}

function validated(ref: string, draft: Record<string, unknown>, issues: ErrorDetail[], items?: readonly RawItem[]): ParsedOrder {
  const result = orderDraftSchema.safeParse(draft, { reportInput: true });
  if (!result.success) {
    // A value already reported as unreadable is also missing from the draft; say so once.
    const reported = new Set(issues.map((issue) => issue.path));
    for (const issue of result.error.issues) {
      const [head, index, ...rest] = issue.path;
      const item = head === 'lines' && typeof index === 'number' ? items?.[index] : undefined;
      const path = item ? `${item.where} ${rest.join('.')}`.trim() : formatPath(issue.path);
      if (!reported.has(path)) issues.push({ path, message: issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message, code: 'email.value_invalid' });
    }
  }
  return issues.length === 0 && result.success ? { ref, draft: result.data, issues } : { ref, issues };
}
