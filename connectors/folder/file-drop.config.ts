import { z } from 'zod';

/**
 * Config fields every file drop has, local or SFTP: where the folders are, when a file counts as
 * complete, and the caps. Folder names are relative to the connector's root unless absolute.
 */
export const fileDropFields = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).meta({ description: 'Connector id, used in logs and on every raw message it keeps.' }),
  inbox: z
    .string()
    .min(1)
    .default('inbox')
    .meta({ description: 'Folder partners drop documents into. Never created by the hub: a missing inbox is a config error, not an empty one.' }),
  done: z.string().min(1).default('done').meta({ description: 'Where a file goes once kept raw and recognised; created if missing.' }),
  failed: z
    .string()
    .min(1)
    .default('failed')
    .meta({ description: 'Where a file goes once kept raw but quarantined (unknown format, too large); created if missing.' }),
  outbox: z.string().min(1).default('outbox').meta({ description: 'Where the hub writes outbound documents for the partner; created if missing.' }),
  mappings: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .default({})
    .meta({
      description:
        "Per-partner overrides by document format ('x12-850', 'edifact-orders', 'cxml-order', 'ubl-order', 'idoc-orders05', 'spreadsheet-order'): qualifiers, which REF is the PO, column names. Each format validates its own part and names bad keys.",
    }),
  pollIntervalMs: z.number().int().positive().default(30_000).meta({ description: 'Time between polls of the inbox, in ms.' }),
  settle: z
    .enum(['two-polls', 'rename'])
    .default('two-polls')
    .meta({
      description:
        '`two-polls`: a file is taken once its size and modification time are the same on two polls in a row (for senders that write in place). ' +
        '`rename`: a file is taken on first sight (for senders that upload under a partial name and rename when done).',
    }),
  partialSuffixes: z
    .array(z.string().min(1))
    .default(['.part', '.partial', '.tmp', '.filepart'])
    .meta({ description: 'Names ending so are uploads in progress and never taken; names starting with "." are never taken either.' }),
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024)
    .meta({ description: 'Largest file read, in bytes. A larger one is moved to `failed` unread and recorded quarantined as document.too_large.' }),
  maxFilesPerPoll: z.number().int().positive().default(100).meta({ description: 'Most files taken in one poll; the rest wait for the next.' }),
};
