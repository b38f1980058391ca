import { mongo } from 'mongoose';

/** E11000: a unique index refused the write. Bulk write errors subclass MongoServerError too. */
export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof mongo.MongoServerError && err.code === 11000;
}
