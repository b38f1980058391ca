import { createHash } from 'node:crypto';
import type { FetchMessageObject } from 'imapflow';
import type { IntakeLedger, RawMessageInput } from '../../core/store/store.port';
import type { ConnectorDeps, FormatParser } from '../connector';
import type { RawSink } from '../folder/raw-sink';
import type { ImapConfig } from './imap.config';
import { createMailTriage, type MailTriage } from './mail-triage';
import { MailboxUnavailableError, type MailboxSession } from './mailbox-session';

/** What the IMAP connector needs beyond the common deps. */
export interface ImapDeps extends ConnectorDeps {
  readonly raw: RawSink;
  /** Custody of each mail by (account, mailbox, UIDVALIDITY, UID), recorded before the mail is moved. */
  readonly ledger: IntakeLedger;
  /** The hub's format parsers; the connector reads each mail with the one for format 'email' before it is moved. */
  readonly parsers: readonly FormatParser[];
}

export interface PassResult {
  /** New raw messages holding an order, moved to the processed folder; intake makes the orders. */
  kept: number;
  /** New raw messages stored quarantined (sender not allowed, too large, no readable order), moved to the quarantine folder. */
  quarantined: number;
  /** Mails whose content was already kept (a copy under a new UID or UIDVALIDITY): nothing stored again; moved all the same. */
  duplicates: number;
  /** Mails kept on an earlier pass, or before a restart, but not moved then: moved now. */
  resumed: number;
  /** Mails left for the next pass because this one took maxMessagesPerPass. */
  remaining: number;
}

type Outcome = Exclude<keyof PassResult, 'remaining'>;
type Folder = 'processed' | 'quarantine';

/**
 * How much of an oversize mail is read: this many first bytes, kept up to the end of the header
 * section. Real headers (long Received chains, DKIM) stay well under it, and a hostile mail with
 * endless headers still costs no more than this.
 */
const HEADER_BYTES_KEPT = 64 * 1024;

/**
 * One reconcile pass over the folder: UID SEARCH for every mail still in it (a mail leaves only
 * once kept), then per mail, oldest first: fetch the source (capped) → read it with the email
 * parser, which decides processed or quarantined → write it raw, keyed by its sha256 → record
 * (account, mailbox, UIDVALIDITY, UID) in the ledger → only then move it. A failure stops the pass
 * with the mail left in place. The next pass finds the ledger entry and only moves it, or, after
 * a UIDVALIDITY change or a second delivery, writes it again and the store answers
 * `created: false`, so nothing is stored twice.
 */
export class MailboxReconciler {
  private readonly account: string;
  private readonly triage: MailTriage;

  constructor(
    private readonly config: ImapConfig,
    private readonly session: MailboxSession,
    private readonly deps: ImapDeps,
  ) {
    this.account = `imap://${encodeURIComponent(config.user)}@${config.host}:${config.port}`;
    this.triage = createMailTriage(deps.parsers, config.mappings.email ?? {});
  }

  async pass(signal: AbortSignal): Promise<PassResult> {
    const result: PassResult = { kept: 0, quarantined: 0, duplicates: 0, resumed: 0, remaining: 0 };
    const { mailbox, maxMessagesPerPass } = this.config;
    const box = await this.session.run(`SELECT ${mailbox}`, (c) => c.mailboxOpen(mailbox));
    const uidValidity = String(box.uidValidity);
    const found = await this.session.run('UID SEARCH', (c) => c.search({ all: true }, { uid: true }));
    // false (refused) or undefined (no folder open) is a failure, never an empty folder.
    if (!Array.isArray(found)) throw new MailboxUnavailableError(`UID SEARCH in ${mailbox} failed`);
    const uids = [...found].sort((a, b) => a - b);
    const batch = uids.slice(0, maxMessagesPerPass);
    result.remaining = uids.length - batch.length;
    if (batch.length === 0) return result;

    const facts = await this.session.run('UID FETCH', (c) => c.fetchAll(batch.join(','), { uid: true, size: true, envelope: true }, { uid: true }));
    const byUid = new Map(facts.map((message) => [message.uid, message]));
    for (const uid of batch) {
      if (signal.aborted) {
        result.remaining += batch.length - batch.indexOf(uid);
        break;
      }
      const message = byUid.get(uid);
      // Gone between SEARCH and FETCH: another client moved or deleted it, so it is not ours to take.
      if (message) result[await this.take(message, uidValidity)]++;
    }
    return result;
  }

  private async take(message: FetchMessageObject, uidValidity: string): Promise<Outcome> {
    const { id: connectorId, mailbox } = this.config;
    const key = `${this.account}/${encodeURIComponent(mailbox)};UIDVALIDITY=${uidValidity}/;UID=${message.uid}`;
    const known = await this.deps.ledger.get(connectorId, key);
    if (known) {
      await this.move(message.uid, known.data?.folder === 'quarantine' ? 'quarantine' : 'processed');
      this.deps.log.info({ uid: message.uid, uidValidity, rawMessageId: known.rawMessageId }, 'mail kept earlier; moved now');
      return 'resumed';
    }
    const input = await this.read(message, uidValidity);
    const { message: raw, created } = await this.deps.raw.write(input);
    const folder: Folder = input.quarantine ? 'quarantine' : 'processed';
    await this.deps.ledger.record({
      connectorId,
      key,
      at: new Date().toISOString(),
      rawMessageId: raw.id,
      data: { folder, messageId: input.externalId, idempotencyKey: input.idempotencyKey },
    });
    await this.move(message.uid, folder);
    const outcome: Outcome = !created ? 'duplicates' : input.quarantine ? 'quarantined' : 'kept';
    // The Message-ID ties a mail in the quarantine folder to the raw message to replay.
    this.deps.log.info({ uid: message.uid, uidValidity, messageId: input.externalId, rawMessageId: raw.id, outcome, reason: input.quarantine?.reason }, 'mail taken');
    return outcome;
  }

  private async read(message: FetchMessageObject, uidValidity: string): Promise<RawMessageInput> {
    const { maxMessageBytes } = this.config;
    const envelope = message.envelope;
    const from = envelope?.from?.[0]?.address?.toLowerCase();
    const common = {
      connectorId: this.config.id,
      channel: 'email',
      format: 'email',
      ...(envelope?.messageId !== undefined && { externalId: envelope.messageId }),
      receivedAt: new Date().toISOString(),
      meta: { uid: message.uid, uidValidity, mailbox: this.config.mailbox, from, subject: envelope?.subject, size: message.size },
    };
    const size = message.size ?? 0;
    // One byte over the cap is fetched, so a server that under-reports RFC822.SIZE is caught too.
    const source = size > maxMessageBytes ? undefined : await this.fetchSource(message.uid, maxMessageBytes + 1);
    if (source === undefined || source.length > maxMessageBytes) {
      const head = headerSection(source ?? (await this.fetchSource(message.uid, HEADER_BYTES_KEPT)));
      return {
        ...common,
        contentType: 'text/rfc822-headers',
        body: head,
        idempotencyKey: `oversize:${sha256(head)}:${size}`,
        quarantine: {
          reason: 'document.too_large',
          details: [{ path: 'message', message: `${Math.max(size, source?.length ?? 0)} bytes is over the ${maxMessageBytes}-byte limit; only the headers were kept` }],
        },
      };
    }
    // A stranger's mail is not parsed: it is kept for a person to look at, not read for orders.
    const quarantine = this.senderAllowed(from)
      ? await this.triage.verdict(source)
      : { reason: 'sender.not_allowed', details: [{ path: 'from', message: `${from ?? 'no From address'} is not in allowedSenderDomains` }] };
    return { ...common, contentType: 'message/rfc822', body: source, idempotencyKey: sha256(source), ...(quarantine && { quarantine }) };
  }

  private async fetchSource(uid: number, maxLength: number): Promise<Buffer> {
    const fetched = await this.session.run(`UID FETCH ${uid} BODY.PEEK[]`, (c) => c.fetchOne(String(uid), { source: { maxLength } }, { uid: true }), this.config.fetchTimeoutMs);
    if (!fetched || !fetched.source) throw new MailboxUnavailableError(`mail UID ${uid} in ${this.config.mailbox} could not be fetched`);
    return fetched.source;
  }

  private senderAllowed(address: string | undefined): boolean {
    const domains = this.config.allowedSenderDomains;
    if (domains.length === 0) return true;
    const domain = address?.split('@').pop();
    return domain !== undefined && domains.some((allowed) => domain === allowed || domain.endsWith(`.${allowed}`));
  }

  /** UID MOVE; ImapFlow falls back to UID COPY + STORE \Deleted + UID EXPUNGE where MOVE is missing. */
  private async move(uid: number, folder: Folder): Promise<void> {
    const to = folder === 'quarantine' ? this.config.quarantineFolder : this.config.processedFolder;
    const moved = await this.session.run(`UID MOVE ${uid} ${to}`, (c) => c.messageMove(String(uid), to, { uid: true }));
    if (!moved) throw new MailboxUnavailableError(`moving mail UID ${uid} to ${to} failed; it stays in ${this.config.mailbox} and is moved on the next pass`);
  }
}

function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The header section: up to and including the first empty line, never more than HEADER_BYTES_KEPT. */
function headerSection(source: Buffer): Buffer {
  const head = source.subarray(0, HEADER_BYTES_KEPT);
  const end = head.indexOf('\r\n\r\n');
  return end === -1 ? head : head.subarray(0, end + 4);
}
