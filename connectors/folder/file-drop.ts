import { createHash, randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { HubError } from '../../core/errors/hub-error';
import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import type { RawMessageInput } from '../../core/store/store.port';
import type { Connector, ConnectorDefinition, ConnectorDeps, FormatParser, OutboundDocument } from '../connector';
import type { DropEntry, DropFs } from './drop-fs';
import { documentTarget, type DocumentTargetDeps } from './file-drop-target';
import type { fileDropFields } from './file-drop.config';
import type { RawSink } from './raw-sink';

/** The part of a parser a file drop needs: say which format a file is, from its first bytes and name. */
export type FormatSniffer = Pick<FormatParser, 'format' | 'sniff'>;

/** What a file-drop connector needs beyond the common deps. */
export interface FileDropDeps extends ConnectorDeps, Partial<DocumentTargetDeps> {
  readonly raw: RawSink;
  /** Tried in order; the first whose sniff says yes names the format. List loose sniffers (spreadsheet) last. */
  readonly parsers: readonly FormatSniffer[];
}

export interface FileDropConnector extends Connector {
  /** One pass over the inbox; a second call while one runs joins it. Rejects when the inbox cannot be listed. */
  poll(signal: AbortSignal): Promise<PollResult>;
  /**
   * Writes a document into the outbox under a temporary name, then renames it.
   * @throws TransientPartnerError when the folder or server cannot be written now
   * @throws PermanentPartnerError when the outbox already holds a different file of that name
   */
  writeOutbound(doc: OutboundDocument): Promise<OutboundWrite>;
  stop(): Promise<void>;
}

/** A ConnectorDefinition whose connectors take the file-drop deps and can be polled. */
export interface FileDropDefinition<S extends z.ZodObject> extends Omit<ConnectorDefinition<S>, 'create'> {
  create(config: z.output<S>, deps: FileDropDeps): FileDropConnector;
}

export interface PollResult {
  /** New raw messages of a recognised format; moved to done/. */
  kept: number;
  /** New raw messages stored quarantined (unknown format, too large); moved to failed/. */
  failed: number;
  /** Files whose content was already kept (same sha256): nothing stored again; moved on all the same. */
  duplicates: number;
  /** Files not taken yet: still being written, or seen for the first time under `settle: two-polls`. */
  waiting: number;
  /** Files left in the inbox because the raw write or the move failed; taken again next poll. */
  retry: number;
}

export interface OutboundWrite {
  readonly path: string;
  /** false when an identical file was already there (a retry after a lost answer). */
  readonly written: boolean;
}

type Settings = z.output<z.ZodObject<typeof fileDropFields>>;

export interface FileDropOptions {
  readonly settings: Settings;
  /** Resolves a configured folder (inbox, done …) against the connector's root. */
  readonly resolve: (folder: string) => string;
  /** Where files come from, for meta.source and logs: a directory, or sftp://user@host:port/root. */
  readonly source: string;
  readonly now?: () => Date;
}

/** Content types by extension, for the raw message; the parser decides the format from the bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Outcome = 'kept' | 'failed' | 'duplicates';

/**
 * The move-after-write logic shared by the local and the SFTP file drop. Per file: read it, name
 * its format, write it through the RawSink with `idempotencyKey` = `externalId` = sha256 of the
 * content, and only after that write resolved move it to done/ or failed/. A crash or fault
 * between the two leaves the file in the inbox; the next poll writes it again, the store answers
 * `created: false`, and the file is moved without a second raw message.
 */
export class FileDrop {
  private readonly settings: Settings;
  private readonly dirs: { readonly inbox: string; readonly done: string; readonly failed: string; readonly outbox: string };
  private readonly now: () => Date;
  /** Size and mtime of each inbox file at the last poll, for `settle: two-polls`. */
  private lastSeen = new Map<string, DropEntry>();
  private running: Promise<PollResult> | undefined;
  private foldersReady = false;

  constructor(
    private readonly fs: DropFs,
    private readonly deps: FileDropDeps,
    private readonly options: FileDropOptions,
  ) {
    this.settings = options.settings;
    const { inbox, done, failed, outbox } = options.settings;
    this.dirs = { inbox: options.resolve(inbox), done: options.resolve(done), failed: options.resolve(failed), outbox: options.resolve(outbox) };
    this.now = options.now ?? (() => new Date());
  }

  poll(signal: AbortSignal): Promise<PollResult> {
    this.running ??= this.pollOnce(signal).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async writeOutbound(doc: OutboundDocument): Promise<OutboundWrite> {
    if (!/^[^/\\]+$/.test(doc.fileName) || doc.fileName.startsWith('.')) {
      throw new PermanentPartnerError(`outbound file name "${doc.fileName}" must be a plain name, not a path or a hidden file`);
    }
    const path = this.fs.join(this.dirs.outbox, doc.fileName);
    // Hidden and ending in .part, so a partner polling the outbox skips it under either convention.
    const temp = this.fs.join(this.dirs.outbox, `.${doc.fileName}.${randomUUID()}.part`);
    let tempStarted = false;
    try {
      await this.ensureFolders();
      const existing = await this.fs.stat(path);
      if (existing) {
        if (existing.size === doc.body.length && (await this.fs.read(path)).equals(doc.body)) return { path, written: false };
        throw new PermanentPartnerError(`the outbox already holds a different ${doc.fileName}`);
      }
      tempStarted = true;
      await this.fs.write(temp, doc.body);
      await this.fs.rename(temp, path);
      this.deps.log.info({ path, format: doc.format, size: doc.body.length }, 'outbound document written');
      return { path, written: true };
    } catch (err) {
      if (tempStarted) await this.fs.remove(temp).catch(() => undefined);
      if (err instanceof HubError) throw err;
      throw new TransientPartnerError(`writing ${doc.fileName} to ${this.options.source} failed: ${(err as Error).message}`, {}, undefined, err);
    }
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.fs.close();
  }

  private async pollOnce(signal: AbortSignal): Promise<PollResult> {
    const result: PollResult = { kept: 0, failed: 0, duplicates: 0, waiting: 0, retry: 0 };
    await this.ensureFolders();
    const ready = this.settled(await this.fs.list(this.dirs.inbox), result);
    for (const entry of ready.slice(0, this.settings.maxFilesPerPoll)) {
      if (signal.aborted) break;
      try {
        result[await this.take(entry)]++;
        // A later file of the same name is a new upload and must settle afresh.
        this.lastSeen.delete(entry.name);
      } catch (err) {
        result.retry++;
        this.deps.log.warn({ err, fileName: entry.name }, 'file left in the inbox for the next poll');
      }
    }
    return result;
  }

  /** Files complete enough to take; the others are counted as waiting. */
  private settled(entries: readonly DropEntry[], result: PollResult): DropEntry[] {
    const previous = this.lastSeen;
    this.lastSeen = new Map(entries.map((entry) => [entry.name, entry]));
    return entries
      .filter((entry) => {
        const partial = entry.name.startsWith('.') || this.settings.partialSuffixes.some((suffix) => entry.name.endsWith(suffix));
        const before = previous.get(entry.name);
        const changing = this.settings.settle === 'two-polls' && (before === undefined || before.size !== entry.size || before.modifiedMs !== entry.modifiedMs);
        if (partial || changing) result.waiting++;
        return !partial && !changing;
      })
      .sort((a, b) => a.modifiedMs - b.modifiedMs || a.name.localeCompare(b.name));
  }

  private async take(entry: DropEntry): Promise<Outcome> {
    const from = this.fs.join(this.dirs.inbox, entry.name);
    const receivedAt = this.now().toISOString();
    const input = entry.size > this.settings.maxFileBytes ? this.oversize(entry, receivedAt) : await this.readInput(entry, from, receivedAt);
    const to = this.fs.join(input.quarantine ? this.dirs.failed : this.dirs.done, archiveName(entry.name, receivedAt));
    const { message, created } = await this.deps.raw.write({ ...input, meta: { ...input.meta, archivedAs: to } });
    await this.fs.rename(from, to);
    const outcome: Outcome = !created ? 'duplicates' : input.quarantine ? 'failed' : 'kept';
    this.deps.log.info({ fileName: entry.name, rawMessageId: message.id, format: input.format, outcome, movedTo: to }, 'file taken');
    return outcome;
  }

  private async readInput(entry: DropEntry, path: string, receivedAt: string): Promise<RawMessageInput> {
    const body = await this.fs.read(path);
    // It grew past the cap after it was listed: treated exactly as if it had been listed that large.
    if (body.length > this.settings.maxFileBytes) return this.oversize({ ...entry, size: body.length }, receivedAt);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const format = this.deps.parsers.find((parser) => parser.sniff(body, entry.name))?.format;
    return {
      ...this.common(entry, receivedAt),
      format: format ?? 'unknown',
      body,
      externalId: sha256,
      idempotencyKey: sha256,
      ...(format === undefined && { quarantine: { reason: 'format.unknown', details: [{ path: entry.name, message: 'no parser recognised the file' }] } }),
    };
  }

  /**
   * A file over the cap is never read, so it costs neither memory nor transfer time. It is kept
   * as an empty-bodied quarantined record naming the file; its key is name, size and mtime, since
   * its content hash would need the very read the cap avoids.
   */
  private oversize(entry: DropEntry, receivedAt: string): RawMessageInput {
    const message = `${entry.size} bytes is over the ${this.settings.maxFileBytes}-byte limit; the file was moved unread`;
    return {
      ...this.common(entry, receivedAt),
      format: 'unknown',
      body: Buffer.alloc(0),
      idempotencyKey: `oversize:${entry.name}:${entry.size}:${entry.modifiedMs}`,
      quarantine: { reason: 'document.too_large', details: [{ path: entry.name, message }] },
    };
  }

  private common(entry: DropEntry, receivedAt: string): Omit<RawMessageInput, 'format' | 'body'> {
    return {
      connectorId: this.settings.id,
      channel: 'file',
      contentType: CONTENT_TYPES[extname(entry.name).toLowerCase()] ?? 'application/octet-stream',
      receivedAt,
      meta: { fileName: entry.name, size: entry.size, modifiedAt: new Date(entry.modifiedMs).toISOString(), source: this.options.source },
    };
  }

  /** done/, failed/ and outbox/ are the hub's own and made when missing; the inbox is the partner's and never made. */
  private async ensureFolders(): Promise<void> {
    if (this.foldersReady) return;
    for (const dir of [this.dirs.done, this.dirs.failed, this.dirs.outbox]) await this.fs.ensureDir(dir);
    this.foldersReady = true;
  }
}

/** The connector around a FileDrop: polled, writes outbound documents, and with `documents` a delivery target. */
export function fileDropConnector(kind: string, settings: Settings, drop: FileDrop, deps: FileDropDeps): FileDropConnector {
  const writeOutbound = (doc: OutboundDocument) => drop.writeOutbound(doc);
  const { documents } = settings;
  let target: Connector['target'];
  if (documents) {
    if (!deps.sequences || !deps.archive) throw new HubError('config.invalid', `connector ${settings.id}: writing documents needs the hub's sequences and document archive`, 'unexpected');
    target = documentTarget({ ...settings, documents }, writeOutbound, { sequences: deps.sequences, archive: deps.archive, ...(deps.now ? { now: deps.now } : {}) });
  }
  return { id: settings.id, kind, poll: (signal) => drop.poll(signal), writeOutbound, stop: () => drop.close(), ...(target ? { target } : {}) };
}

/** `20260302T080000123Z_orders.csv`: sorts by arrival, and a partner's daily `orders.csv` never collides. */
function archiveName(name: string, receivedAt: string): string {
  return `${receivedAt.replace(/[-:.]/g, '')}_${name}`;
}
