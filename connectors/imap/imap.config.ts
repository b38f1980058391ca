import { z } from 'zod';
import { secret } from '../../core/schema/secret';
import { emailMappingSchema } from '../email/email.mapping';

/** The issue's promise: a dead connection is noticed within a minute (keep-alive tick plus the command's timeout). */
export const DEAD_CONNECTION_LIMIT_MS = 60_000;

/**
 * Checked against the email format's schema when the config loads, so a bad template fails the
 * start naming its key, but kept as written: the email parser validates and caches the mapping it
 * is handed (connector and intake alike), and config objects are parsed more than once.
 */
const emailMapping = z.record(z.string(), z.unknown()).superRefine((mapping, ctx) => {
  const checked = emailMappingSchema.safeParse(mapping);
  for (const issue of checked.error?.issues ?? []) ctx.addIssue({ ...issue });
});

export const imapConfig = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in logs and on every raw message it keeps.' }),
    kind: z.literal('imap'),
    host: z.string().min(1).meta({ description: 'IMAP server name or address.', examples: ['imap.exmail.qq.com', 'outlook.office365.com'] }),
    port: z.number().int().min(1).max(65_535).default(993).meta({ description: 'IMAP port: 993 for TLS from the first byte, 143 for STARTTLS or cleartext.' }),
    secure: z.boolean().default(true).meta({ description: 'Speak TLS from the first byte (port 993). When false, see `starttls`.' }),
    starttls: z
      .boolean()
      .default(true)
      .meta({
        description:
          'With `secure: false`: true requires the server to upgrade with STARTTLS before the password is sent (the connection fails otherwise); false stays in cleartext, only for a server on loopback or a test server.',
      }),
    user: z.string().min(1).meta({ description: 'Login name of the mailbox, usually its address.', examples: ['orders@example.cn'] }),
    password: secret('Password or app password of the mailbox.'),
    mailbox: z.string().min(1).default('INBOX').meta({ description: 'Folder the orders arrive in. Never created by the hub: a missing folder is an error, not an empty one.' }),
    processedFolder: z
      .string()
      .min(1)
      .default('Processed')
      .meta({
        description:
          'Where a mail that holds an order goes once kept raw; created if missing. Use the server\'s hierarchy delimiter for a subfolder ("INBOX.Processed" on some servers).',
      }),
    quarantineFolder: z
      .string()
      .min(1)
      .default('Quarantine')
      .meta({
        description:
          'Where a mail goes once kept raw but quarantined: sender not allowed, too large, or no order the email parser can read (email.no_order, email.malformed …); created if missing.',
      }),
    allowedSenderDomains: z
      .array(z.string().toLowerCase().regex(/^[a-z0-9.-]+$/, 'a domain such as example.cn'))
      .default([])
      .meta({
        description:
          'Domains whose mail is taken, by the From address; a subdomain counts as its domain (mail.example.cn under example.cn). Mail from any other sender is kept quarantined as sender.not_allowed. Empty: every sender is taken.',
        examples: [['example.cn', 'customer.com']],
      }),
    mappings: z
      .strictObject({
        email: emailMapping.optional().meta({
          description:
            'How this mailbox\'s mails are read: sender templates per customer domain (columns, dates, decimal comma, currency), see connectors/email/README.md. Used by the connector to decide processed or quarantine, and by intake to make the orders.',
        }),
      })
      .default({})
      .meta({ description: 'Per-format mappings, as file drops have; a mailbox reads the `email` format, whose templates also map the attachments.' }),
    maxMessageBytes: z
      .number()
      .int()
      .positive()
      .default(25 * 1024 * 1024)
      .meta({ description: 'Largest mail read, in bytes (the server\'s RFC822.SIZE). A larger one is kept as its headers only, quarantined as document.too_large.' }),
    maxMessagesPerPass: z
      .number()
      .int()
      .positive()
      .default(100)
      .meta({ description: 'Most mails taken in one reconcile pass, oldest first; the next pass starts at once when more wait.' }),
    commandTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .meta({ description: 'Time allowed for connecting and logging in, and for each command but a download, in ms; on expiry the connection is dropped and made anew.' }),
    fetchTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(120_000)
      .meta({ description: 'Time allowed to download one mail (up to maxMessageBytes), in ms.' }),
    keepAliveMs: z
      .number()
      .int()
      .positive()
      .default(25_000)
      .meta({
        description:
          'IDLE is ended and the folder reconciled by UID SEARCH this often, in ms, so a missed IDLE notice never strands mail and a dead connection shows. keepAliveMs + commandTimeoutMs must stay within 60000.',
      }),
    reconnectInitialMs: z.number().int().positive().default(1_000).meta({ description: 'First wait before reconnecting after a failure, in ms; doubled after each failure in a row.' }),
    reconnectMaxMs: z.number().int().positive().default(60_000).meta({ description: 'Longest wait between reconnect attempts, in ms.' }),
    pollIntervalMs: z
      .number()
      .int()
      .positive()
      .default(60_000)
      .meta({ description: 'Interval of the scheduler\'s fallback reconcile pass, in ms; IDLE and the keep-alive pass take mail sooner.' }),
  })
  .superRefine((config, ctx) => {
    // IMAP folder names are case-sensitive, except INBOX.
    const folders = [config.mailbox, config.processedFolder, config.quarantineFolder].map((f) => (f.toUpperCase() === 'INBOX' ? 'INBOX' : f));
    if (new Set(folders).size !== folders.length) {
      ctx.addIssue({ code: 'custom', path: ['processedFolder'], message: 'mailbox, processedFolder and quarantineFolder must be three different folders' });
    }
    if (config.keepAliveMs + config.commandTimeoutMs > DEAD_CONNECTION_LIMIT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['keepAliveMs'],
        message: `keepAliveMs + commandTimeoutMs is ${config.keepAliveMs + config.commandTimeoutMs}; keep it within ${DEAD_CONNECTION_LIMIT_MS} so a dead connection is noticed within a minute`,
      });
    }
    if (config.reconnectMaxMs < config.reconnectInitialMs) {
      ctx.addIssue({ code: 'custom', path: ['reconnectMaxMs'], message: 'must be at least reconnectInitialMs' });
    }
  });

export type ImapConfig = z.output<typeof imapConfig>;
