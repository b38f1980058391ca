import type { IntakeLedger, LedgerEntry, SequenceStore } from '../store.port';
import { isDuplicateKeyError } from './mongo-errors';
import type { MongoModels } from './models';

export class MongoIntakeLedger implements IntakeLedger {
  constructor(private readonly models: MongoModels) {}

  async record(entry: LedgerEntry): Promise<{ created: boolean; entry: LedgerEntry }> {
    try {
      await this.models.ledger.create({ ...entry });
      return { created: true, entry };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return { created: false, entry: (await this.get(entry.connectorId, entry.key))! };
    }
  }

  async get(connectorId: string, key: string): Promise<LedgerEntry | undefined> {
    const doc = await this.models.ledger.findOne({ connectorId, key }, { _id: 0 }).lean();
    if (!doc) return undefined;
    return {
      connectorId: doc.connectorId,
      key: doc.key,
      at: doc.at,
      ...(doc.rawMessageId !== undefined ? { rawMessageId: doc.rawMessageId } : {}),
      ...(doc.data !== undefined ? { data: doc.data } : {}),
    };
  }
}

/** $inc on one document is atomic, so two processes never draw the same number. */
export class MongoSequenceStore implements SequenceStore {
  constructor(private readonly models: MongoModels) {}

  async next(scope: string): Promise<number> {
    const doc = await this.models.sequences.findOneAndUpdate({ _id: scope }, { $inc: { value: 1 } }, { upsert: true, new: true }).lean();
    return doc!.value;
  }
}
