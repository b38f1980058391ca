import express, { Router } from 'express';
import type { ApiContext } from './route-context';

/**
 * `POST /api/v1/hooks/:connectorId`: partners post back here. No API key: each partner proves
 * itself with its own signature over the raw body, which is why the body is read as bytes and
 * handed on untouched.
 */
export function hooksRouter(ctx: ApiContext): Router {
  const router = Router();
  const rawBody = express.raw({ type: () => true, limit: ctx.deps.bodyLimitBytes });
  router.post('/hooks/:connectorId', rawBody, async (req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    const answer = await ctx.deps.hooks.accept(req.params.connectorId, {
      headers,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      query,
      receivedAt: Date.now(),
    });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
  return router;
}
