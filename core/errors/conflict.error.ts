import { HubError, type ErrorDetail } from './hub-error';

/** A write lost a race (stale version) or broke a uniqueness promise (idempotency key reused). */
export class ConflictError extends HubError {
  constructor(code: string, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, 'user', { details });
  }
}

/** Optimistic concurrency: the order changed since it was read. Re-read and try again. */
export class VersionConflictError extends ConflictError {
  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
  ) {
    super('store.version_conflict', `order ${orderId} is no longer at version ${expectedVersion}`);
  }
}

/** A reservation asked for more than is available to promise; nothing was reserved. */
export class StockShortageError extends ConflictError {
  constructor(details: readonly ErrorDetail[]) {
    super('stock.shortage', 'not enough stock available to promise', details);
  }
}
