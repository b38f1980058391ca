import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ConflictError } from '../../core/errors/conflict.error';
import { HubError, type ErrorDetail } from '../../core/errors/hub-error';
import { IllegalTransitionError } from '../../core/errors/illegal-transition.error';
import { NotFoundError } from '../../core/errors/not-found.error';
import { SignatureError } from '../../core/errors/signature.error';
import { ValidationError } from '../../core/errors/validation.error';
import { ForbiddenError, UnauthenticatedError } from './api-keys';
import { requestLog } from './route-context';

/** The body of every error answer: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: readonly ErrorDetail[] };
}

export interface HttpError {
  readonly status: number;
  readonly body: ApiErrorBody;
}

/** Errors raised by express's body parsers (http-errors with a `type`), which are safe to show. */
interface BodyParserError {
  readonly type: string;
  readonly status: number;
  readonly message: string;
  readonly limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  const e = err as Partial<BodyParserError> & { expose?: unknown };
  return typeof e === 'object' && e !== null && typeof e.type === 'string' && typeof e.status === 'number' && e.expose === true;
}

function answer(status: number, code: string, message: string, details: readonly ErrorDetail[] = []): HttpError {
  return { status, body: { error: { code, message, details } } };
}

function fromBodyParser(err: BodyParserError): HttpError {
  switch (err.type) {
    case 'entity.too.large':
      return answer(413, 'request.too_large', `request body is larger than ${err.limit ?? 'the limit of'} bytes`);
    case 'entity.parse.failed':
      return answer(400, 'request.malformed_json', `body is not valid JSON: ${err.message}`, [{ path: '', message: err.message }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(415, 'request.unsupported_encoding', err.message);
    default:
      return answer(err.status, 'request.invalid', err.message);
  }
}

/**
 * The one mapping from errors to HTTP. Subclasses are tested before their bases (ValidationError and
 * the others are all HubErrors of category `user`). Anything not raised on purpose becomes a 500
 * whose message says nothing about internals.
 */
export function toHttpError(err: unknown): HttpError {
  if (isBodyParserError(err)) return fromBodyParser(err);
  if (!(err instanceof HubError)) return answer(500, 'internal', 'internal error; the hub has logged it');
  const as = (status: number) => answer(status, err.code, err.message, err.details);
  if (err instanceof UnauthenticatedError || err instanceof SignatureError) return as(401);
  if (err instanceof ForbiddenError) return as(403);
  if (err instanceof ValidationError) return as(422);
  if (err instanceof NotFoundError) return as(404);
  if (err instanceof ConflictError || err instanceof IllegalTransitionError) return as(409);
  if (err.category === 'user') return as(400);
  return answer(500, 'internal', 'internal error; the hub has logged it');
}

/** Express error middleware: answers with {@link toHttpError} and logs, error level for 5xx only. */
export function createErrorHandler(fallbackLog: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    // Part of an answer is already on the wire: let express close the connection.
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body } = toHttpError(err);
    const log = requestLog(res, fallbackLog);
    if (status >= 500) log.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    else log.warn({ code: body.error.code, status, method: req.method, url: req.originalUrl }, body.error.message);
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    res.status(status).json(body);
  };
}
