import { createHash, randomUUID } from 'node:crypto';
import { mongo, type QueryFilter, type UpdateQuery } from 'mongoose';
import { ConflictError } from '../../errors/conflict.error';
import type { ErrorDetail } from '../../errors/hub-error';
import { NotFoundError } from '../../errors/not-found.error';
import type { Page, RawMessage, RawMessageInput, RawMessageQuery, RawMessageStore, RawOutcome } from '../store.port';
import { isDuplicateKeyError } from './mongo-errors';
import type { MongoModels } from './models';
import type { RawMessageDoc } from './models/raw-message.model';
import { beyond, clampLimit, decodeCursor, toInstant, toPage } from './paging';

/**
 * Raw messages, body kept byte for byte as BSON binary. `list` is oldest first, by
 * (receivedAt, id): the order a replay should walk them in.
 */
export class MongoRawMessageStore implements RawMessageStore {
  constructor(private readonly models: MongoModels) {}

  /**
   * Inserts first and asks afterwards: the unique (connectorId, idempotencyKey) index decides which of
   * two racing writers of one key wins, and the loser reads the winner's message.
   */
  async put(input: RawMessageInput): Promise<{ message: RawMessage; created: boolean }> {
    const doc = toDoc(input);
    try {
      await this.models.rawMessages.create(doc);
      return { message: toMessage(doc), created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const earlier =
        input.idempotencyKey === undefined
          ? null
          : await this.models.rawMessages.findOne({ connectorId: input.connectorId, idempotencyKey: input.idempotencyKey }).lean();
      if (earlier) return { message: toMessage(earlier), created: false };
      throw new ConflictError('raw.id_taken', `raw message ${doc._id} already exists`, [{ path: 'id', message: 'already used' }]);
    }
  }

  async get(id: string): Promise<RawMessage | undefined> {
    const doc = await this.models.rawMessages.findById(id).lean();
    return doc ? toMessage(doc) : undefined;
  }

  async markProcessed(id: string, orderIds: readonly string[], at: string): Promise<void> {
    const outcome: RawOutcome = { at, outcome: 'processed', orderIds: [...orderIds] };
    await this.update(id, {
      $set: { status: 'processed', orderIds: [...orderIds], details: [] },
      $unset: { reason: 1 },
      $push: { outcomes: outcome },
    });
  }

  async quarantine(id: string, reason: string, details: readonly ErrorDetail[], at: string): Promise<void> {
    const outcome: RawOutcome = { at, outcome: 'quarantined', reason, details: [...details] };
    await this.update(id, { $set: { status: 'quarantined', reason, details: [...details] }, $push: { outcomes: outcome } });
  }

  async markForReplay(id: string, at: string): Promise<void> {
    const outcome: RawOutcome = { at, outcome: 'replayed' };
    await this.update(id, { $set: { status: 'received' }, $push: { outcomes: outcome } });
  }

  async list(query: RawMessageQuery): Promise<Page<RawMessage>> {
    const limit = clampLimit(query.limit);
    const and: QueryFilter<RawMessageDoc>[] = [];
    if (query.status) and.push({ status: query.status });
    if (query.connectorId) and.push({ connectorId: query.connectorId });
    if (query.receivedBefore) and.push({ receivedAtTime: { $lt: toInstant(query.receivedBefore, 'receivedBefore') } });
    if (query.cursor) and.push(beyond('receivedAtTime', decodeCursor(query.cursor), 'asc'));
    const docs = await this.models.rawMessages
      .find(and.length > 0 ? { $and: and } : {})
      .sort({ receivedAtTime: 1, _id: 1 })
      .limit(limit + 1)
      .lean();
    return toPage(docs, limit, (doc) => ({ time: doc.receivedAtTime, id: doc._id }), toMessage);
  }

  private async update(id: string, update: UpdateQuery<RawMessageDoc>): Promise<void> {
    const { matchedCount } = await this.models.rawMessages.updateOne({ _id: id }, update);
    if (matchedCount === 0) throw new NotFoundError('raw_message', id);
  }
}

function toDoc(input: RawMessageInput): RawMessageDoc {
  const { id, quarantine, processed, ...fields } = input;
  return {
    ...fields,
    _id: id ?? randomUUID(),
    receivedAtTime: toInstant(input.receivedAt, 'receivedAt'),
    contentHash: createHash('sha256').update(input.body).digest('hex'),
    size: input.body.length,
    ...(quarantine
      ? {
          status: 'quarantined',
          reason: quarantine.reason,
          details: [...quarantine.details],
          outcomes: [{ at: input.receivedAt, outcome: 'quarantined', reason: quarantine.reason, details: [...quarantine.details] }],
        }
      : processed
        ? { status: 'processed', details: [], outcomes: [{ at: input.receivedAt, outcome: 'processed', orderIds: [...processed.orderIds] }] }
        : { status: 'received', details: [], outcomes: [] }),
    orderIds: [...(processed?.orderIds ?? [])],
  };
}

function toMessage(doc: RawMessageDoc): RawMessage {
  const { _id, receivedAtTime, body, ...fields } = doc;
  return { ...fields, id: _id, body: toBuffer(body) };
}

/** Lean reads hand back BSON Binary rather than a Buffer; the port promises a Buffer. */
function toBuffer(body: Buffer | mongo.Binary): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.value());
}
