import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { RestApiDeps } from './api-deps';
import type { Authenticate, RouteMiddleware } from './api-keys';

/** What every router gets from server.ts: the deps plus the shared middleware built once. */
export interface ApiContext {
  readonly deps: RestApiDeps;
  readonly authenticate: Authenticate;
  /** JSON body parser with the configured size limit, for routes that take a JSON body. */
  readonly jsonBody: RouteMiddleware;
  /** The current instant as ISO 8601, from `deps.now`. */
  now(): string;
  /** The request's pino child (bound to `reqId`); bind more ids with `.child()`. */
  log(res: { locals: object }): Logger;
}

export function createApiContext(deps: RestApiDeps, authenticate: Authenticate): ApiContext {
  const clock = deps.now ?? (() => new Date());
  // Any content type: a client that forgets `Content-Type: application/json` gets its JSON read,
  // and a body that is not JSON gets 400 request.malformed_json rather than a puzzling 422.
  const parseJson = express.json({ limit: deps.bodyLimitBytes, type: () => true });
  return {
    deps,
    authenticate,
    jsonBody: (req, res, next) => parseJson(req, res, next),
    now: () => clock().toISOString(),
    log: (res) => requestLog(res, deps.log),
  };
}

const LOG = Symbol('log');
type LocalsWithLog = Record<string | symbol, unknown> & { [LOG]?: Logger };

/** A caller-supplied request id is echoed only when it is short and plain, so logs stay clean. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Binds a pino child `{ reqId }` to the response and writes one info line per request when it
 * finishes; failures are logged with their cause by the error handler.
 */
export function requestLogger(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const reqId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    const child = log.child({ reqId });
    (res.locals as LocalsWithLog)[LOG] = child;
    res.set('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // originalUrl: routers mounted under /api/v1 rewrite req.url while they run.
      child.info({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}

/** The request's logger; `fallback` serves code that may run before requestLogger (it is mounted first). */
export function requestLog(res: { locals: object }, fallback: Logger): Logger {
  return (res.locals as LocalsWithLog)[LOG] ?? fallback;
}
