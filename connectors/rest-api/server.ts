import express from 'express';
import { NotFoundError } from '../../core/errors/not-found.error';
import type { RestApiDeps } from './api-deps';
import { createAuthenticate } from './api-keys';
import { deliveriesRouter } from './deliveries.routes';
import { documentsRouter } from './documents.routes';
import { hooksRouter } from './hooks.routes';
import { createErrorHandler } from './error-handler';
import { opsRouter } from './ops.routes';
import { orderSourceRouter } from './order-source.routes';
import { ordersRouter } from './orders.routes';
import { rawRouter } from './raw.routes';
import { referenceDataRouter } from './reference-data.routes';
import { createApiContext, requestLogger } from './route-context';

/**
 * The hub's REST API. Order of the stack:
 * 1. request logger (binds `reqId`, one line per request);
 * 2. ops routes, without authentication (probes, metrics, JSON Schema);
 * 3. `/api/v1` routers; each route names its permission and parses its own body, so the body size
 *    limit and raw-versus-JSON reading apply per route, and authentication runs before any body is read;
 * 4. 404 for every other path; 5. the error handler, the one place errors become HTTP.
 *
 * Builds no server and opens no port: the caller listens (pipelines/), tests use supertest.
 * @throws Error when an API key's hash is not `sha256:<64 hex>`
 */
export function createApiApp(deps: RestApiDeps): express.Express {
  const ctx = createApiContext(deps, createAuthenticate(deps.apiKeys));
  const app = express();
  app.disable('x-powered-by');
  // ETags on order reads would let a client see a stale order as fresh after a 304 race; keep answers simple.
  app.set('etag', false);

  app.use(requestLogger(deps.log));
  app.use(opsRouter(ctx));
  app.use('/api/v1', hooksRouter(ctx), ordersRouter(ctx), orderSourceRouter(ctx), documentsRouter(ctx), rawRouter(ctx), deliveriesRouter(ctx), referenceDataRouter(ctx));
  app.use((req) => {
    throw new NotFoundError('route', `${req.method} ${req.path}`);
  });
  app.use(createErrorHandler(deps.log));
  return app;
}
