import { z } from 'zod';
import { orderStatus } from '../../core/order/order.schema';
import { documentWriter, documentWriters } from '../documents/outbound-documents';

/** Every event the lifecycle emits; `documents.on` may name any of them. */
const orderEventName = z.enum(['order.created', 'order.changed', ...orderStatus.options.map((status) => `order.${status}` as const)]);

/** X12 `QUALIFIER:ID`, EDIFACT `qualifier:id` or a bare id: each format checks its own form when it writes. */
const interchangeId = z.string().regex(/^\S{1,70}$/, "an interchange id without spaces, e.g. 'ZZ:ORDERHUB'");

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
  partner: z
    .object({
      ourId: interchangeId.meta({
        description:
          "Our interchange id on what the hub writes to this partner, as the format spells it: X12 'QUALIFIER:ID' (ISA05:ISA06), EDIFACT 'qualifier:id' or an id (UNB02), SAP IDoc our logical system (SNDPRN).",
        examples: ['ZZ:ORDERHUB'],
      }),
      theirId: interchangeId
        .optional()
        .meta({
          description: "The partner's interchange id: the receiver of `documents` (for SAP IDoc, SAP's logical system, RCVPRN). Acknowledgements go to whoever sent what they answer.",
          examples: ['ZZ:HARBORCO'],
        }),
      acknowledge: z
        .boolean()
        .default(true)
        .meta({
          description:
            'Answer every document whose format has an acknowledgement into `outbox`: X12 a 997 per interchange, EDIFACT a CONTRL per interchange whose UNB was read; negative for rejected sets or messages and for duplicates.',
        }),
    })
    .optional()
    .meta({ description: 'Who the hub is to this partner. Without it no acknowledgement and no document is written.' }),
  documents: z
    .object({
      format: z.enum(documentWriters.map((w) => w.format) as [string, ...string[]]).meta({ description: 'Standard of the documents written to `outbox`.' }),
      on: z
        .partialRecord(orderEventName, z.string().min(1))
        .meta({
          description:
            "Lifecycle event → document written when a route sends that event here. X12: '855' order acknowledgment, '856' ship notice (needs a shipment), '810' invoice. EDIFACT: 'ORDRSP', 'DESADV' (needs a shipment), 'INVOIC'. IDoc: 'ORDERS05' (the sales order for SAP).",
          examples: [{ 'order.confirmed': '855', 'order.shipped': '856', 'order.invoiced': '810' }],
        }),
      settings: z
        .record(z.string(), z.unknown())
        .default({})
        .meta({
          description:
            "The standard's options. X12: `version` ('005010' default, or '004010'), `usage` ('P' default, or 'T' for test data). EDIFACT: `version` ('D:96A' default, or 'D:01B'). IDoc: `sender` and `receiver` (`partnerType`, 'LS' when unset; `port`), `salesArea` (`salesOrganization`, `distributionChannel`, `division`).",
        }),
    })
    .optional()
    .meta({ description: 'Makes the drop a delivery target: `routes` may name it, and each routed event writes its document into `outbox`. Needs `partner.theirId`.' }),
};

type DocumentFields = { partner?: { theirId?: string | undefined } | undefined; documents?: { format: string; on: Partial<Record<string, string>>; settings: unknown } | undefined };

/** Cross-field checks of `partner` and `documents`, for each file-drop kind's `.superRefine`. */
export function checkDocumentFields(config: DocumentFields, ctx: z.RefinementCtx): void {
  const { documents } = config;
  if (!documents) return;
  if (!config.partner?.theirId) ctx.addIssue({ code: 'custom', path: ['partner', 'theirId'], message: 'documents are addressed to the partner: set partner.ourId and partner.theirId' });
  const writer = documentWriter(documents.format);
  if (!writer) return;
  for (const [event, type] of Object.entries(documents.on)) {
    if (type !== undefined && !writer.types.includes(type)) {
      ctx.addIssue({ code: 'custom', path: ['documents', 'on', event], message: `${documents.format} documents are ${writer.types.join(', ')}; not "${type}"` });
    }
  }
  const settings = writer.settings.safeParse(documents.settings);
  for (const issue of settings.success ? [] : settings.error.issues) {
    ctx.addIssue({ code: 'custom', path: ['documents', 'settings', ...issue.path.map(String)], message: issue.message });
  }
}
