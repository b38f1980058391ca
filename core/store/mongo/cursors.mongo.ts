import type { CursorStore } from '../store.port';
import type { MongoModels } from './models';

/** One value per (connector, key), overwritten on set. */
export class MongoCursorStore implements CursorStore {
  constructor(private readonly models: MongoModels) {}

  async get(connectorId: string, key: string): Promise<string | undefined> {
    const doc = await this.models.cursors.findOne({ connectorId, key }, { value: 1 }).lean();
    return doc?.value;
  }

  /** Two first sets racing on one key cannot both insert: the server retries an upsert that loses on the unique index. */
  async set(connectorId: string, key: string, value: string): Promise<void> {
    await this.models.cursors.updateOne({ connectorId, key }, { $set: { value } }, { upsert: true });
  }
}
