/**
 * The MongoDB adapter of the store port, on mongoose 9 with a connection of its own (never
 * mongoose's global default connection, so the hub can open two stores, and tests one per test).
 *
 * Needs MongoDB 5.0 or later running as a replica set (a single-node one is enough; so is a sharded
 * cluster). An order write, that is the order, its outbox events and its stock and capacity
 * changes, is one multi-document transaction, and MongoDB runs those only on replica sets and
 * mongos. A standalone server is refused at open rather than at the first order write.
 * For local use: start `mongod --replSet rs0` (the official image takes the same flag), then run
 * `rs.initiate()` once in mongosh.
 */
import mongoose, { type Connection } from 'mongoose';
import { HubError } from '../../errors/hub-error';
import type { HubStore } from '../store.port';
import { MongoCursorStore } from './cursors.mongo';
import { MongoDeliveryLog } from './deliveries.mongo';
import { MongoIntakeLedger, MongoSequenceStore } from './ledger.mongo';
import { createModels, type MongoModels } from './models';
import { MongoOrderStore } from './orders.mongo';
import { MongoOutboxStore } from './outbox.mongo';
import { MongoRawMessageStore } from './raw-messages.mongo';
import { MongoCalendarStore, MongoCapacityStore, MongoInventoryStore, MongoPriceListStore } from './reference-data.mongo';

export interface MongoStoreOptions {
  /** A `mongodb://` or `mongodb+srv://` URL of a replica set or mongos. */
  readonly url: string;
  /** @defaultValue the database named in `url`, else mongoose's default ('test') */
  readonly dbName?: string;
}

export async function openMongoStore(options: MongoStoreOptions): Promise<HubStore> {
  const connection = mongoose.createConnection(options.url, {
    ...(options.dbName !== undefined && { dbName: options.dbName }),
    // Each model's init() creates its collection; indexes are built by prepareCollections and
    // awaited there, so a bad index definition fails the open rather than a later write.
    autoCreate: true,
    autoIndex: false,
    // Every query comes after open resolved; one made after close should fail, not wait forever.
    bufferCommands: false,
    // An optional field the caller left undefined is left out of the document, never stored as
    // null: reads must equal what was written.
    ignoreUndefined: true,
  });
  await connection.asPromise();
  let models: MongoModels;
  try {
    await requireTransactions(connection);
    models = createModels(connection);
    await prepareCollections(models);
  } catch (err) {
    await connection.close();
    throw err;
  }

  return {
    kind: 'mongo',
    raw: new MongoRawMessageStore(models),
    orders: new MongoOrderStore(connection, models),
    outbox: new MongoOutboxStore(models),
    inventory: new MongoInventoryStore(models),
    capacity: new MongoCapacityStore(models),
    prices: new MongoPriceListStore(models),
    calendar: new MongoCalendarStore(models),
    cursors: new MongoCursorStore(models),
    ledger: new MongoIntakeLedger(models),
    sequences: new MongoSequenceStore(models),
    deliveries: new MongoDeliveryLog(models),
    async ping() {
      await database(connection).admin().ping();
    },
    async close() {
      await connection.close();
    },
  };
}

async function requireTransactions(connection: Connection): Promise<void> {
  const hello = await database(connection).admin().command({ hello: 1 });
  if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
    throw new HubError(
      'store.transactions_unavailable',
      'MongoDB is a standalone server; the store needs a replica set (a single-node one will do) or mongos for transactions',
      'unexpected',
    );
  }
}

/**
 * Creates every collection up front, so no transaction has to (a cross-shard one may not), then
 * its indexes. createIndexes, not syncIndexes: during a rolling upgrade the older instance
 * would drop the newer one's indexes, and an operator's extra index would go too.
 */
async function prepareCollections(models: MongoModels): Promise<void> {
  await Promise.all(
    Object.values(models).map(async (model: MongoModels[keyof MongoModels]) => {
      await model.init();
      await model.createIndexes();
    }),
  );
}

function database(connection: Connection): mongoose.mongo.Db {
  const db = connection.db;
  if (!db) throw new HubError('store.closed', 'the MongoDB connection is not open', 'operational');
  return db;
}
