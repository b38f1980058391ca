/**
 * One base for every error the hub raises on purpose. Callers branch with `instanceof` or on `code`,
 * never on message text. `category` follows n8n: `user` errors are the caller's to fix (4xx),
 * `operational` ones are transient (retry), `unexpected` ones are bugs.
 */
export type ErrorCategory = 'user' | 'operational' | 'unexpected';

/** One offending field or line: `path` uses dots and indexes (`lines[2].quantity`). */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

export interface HubErrorOptions {
  readonly details?: readonly ErrorDetail[];
  readonly cause?: unknown;
}

export class HubError extends Error {
  readonly details: readonly ErrorDetail[];

  constructor(
    readonly code: string,
    message: string,
    readonly category: ErrorCategory,
    options: HubErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? [];
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
