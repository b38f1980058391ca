import { HubError, type ErrorDetail } from '../../core/errors/hub-error';
import type { RawMessageInput } from '../../core/store/store.port';
import type { FormatParser, ParseContext, ParseResult } from '../connector';

export type Quarantine = NonNullable<RawMessageInput['quarantine']>;

/**
 * Decides, before a mail is written raw and moved, whether it can become an order: the folder it
 * goes to must say so, and a mail is moved once. The email parser reads it with the mailbox's
 * sender templates, as intake will read the stored bytes; the verdict follows intake's own rules,
 * so a mail in the processed folder is one intake makes orders of, and a quarantined one carries
 * the reason intake would have given. Intake still parses again: the raw message is the record,
 * and a replay after a template fix must read it with the config of that time.
 */
export interface MailTriage {
  /** The quarantine a mail's bytes call for, or undefined when it holds at least one readable order. */
  verdict(source: Buffer): Promise<Quarantine | undefined>;
}

export function createMailTriage(parsers: readonly FormatParser[], mapping: ParseContext['mapping']): MailTriage {
  const parser = parsers.find((p) => p.format === 'email');
  if (!parser) throw new HubError('imap.no_email_parser', 'the IMAP connector needs the email format parser in its deps', 'unexpected');
  return {
    async verdict(source) {
      let result: ParseResult;
      try {
        result = await parser.parse(source, { mapping });
      } catch (err) {
        // The parser does no I/O, so a throw is the same on every try: retrying would stall the mailbox on this mail.
        return { reason: 'email.unreadable', details: [{ path: '', message: `the email parser failed: ${(err as Error).message}` }] };
      }
      if (!result.ok) return { reason: result.code ?? 'email.unreadable', details: result.issues };
      if (result.orders.some((order) => order.draft)) return undefined;
      // Scans handed off to OCR: intake keeps each as its own raw message, and the mail is done.
      if (result.orders.length === 0 && (result.handOffs?.length ?? 0) > 0) return undefined;
      // Every order was found but none could be read (a date no template explains): intake's document.no_orders.
      const details: ErrorDetail[] = [...result.issues, ...result.orders.flatMap((order) => order.issues.map((issue) => ({ ...issue, path: `${order.ref} ${issue.path}` })))];
      return { reason: 'document.no_orders', details: details.length > 0 ? details : [{ path: '', message: 'the mail holds no order' }] };
    },
  };
}
