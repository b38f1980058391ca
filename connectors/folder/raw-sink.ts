import type { RawMessage, RawMessageInput } from '../../core/store/store.port';

/**
 * The only way a source hands input to the hub: resolves once the input is durably stored, and
 * only then may the source acknowledge it (move the file, delete the mail, advance a cursor).
 * The hub passes `store.raw.put`, so an `idempotencyKey` seen before for the same connector
 * stores nothing and answers with the earlier message and `created: false`.
 */
export interface RawSink {
  write(input: RawMessageInput): Promise<{ message: RawMessage; created: boolean }>;
}
