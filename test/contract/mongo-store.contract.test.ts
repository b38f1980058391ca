import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { openMongoStore } from '../../core/store/mongo/mongo-store';
import { defineStoreContract } from './store.contract';

const url = process.env.MONGO_URL;

if (url) {
  const databases: string[] = [];

  // Each test gets its own database, so every one is dropped once the suite is done.
  afterAll(async () => {
    const connection = await mongoose.createConnection(url).asPromise();
    try {
      for (const name of databases) await connection.useDb(name).dropDatabase();
    } finally {
      await connection.close();
    }
  });

  defineStoreContract('mongo', () => {
    const dbName = `order-hub-test-${randomUUID()}`;
    databases.push(dbName);
    return openMongoStore({ url, dbName });
  });
} else {
  console.warn('SKIPPED: mongo store contract — MONGO_URL not set');
  it.skip('mongo store contract (SKIPPED: MONGO_URL not set)', () => undefined);
}
