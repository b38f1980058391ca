import { Router } from 'express';
import { canonicalOrderJsonSchema, orderDraftJsonSchema } from '../../core/order/order.json-schema';
import type { ApiContext } from './route-context';

/**
 * Marks every object schema that lists its properties as closed (`additionalProperties: false`), in
 * place. The intake refuses unknown fields (rest-order.parser.ts) while core's draft schema is open,
 * so the schema partners validate their posts against must say so.
 */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  if (schema.type === 'object' && typeof schema.properties === 'object' && !('additionalProperties' in schema)) schema.additionalProperties = false;
  Object.values(schema).forEach(closeObjects);
}

/**
 * Unauthenticated endpoints for probes, scrapers and partners: liveness, readiness, metrics, and
 * the JSON Schemas of the order. None of them reveals order data.
 */
export function opsRouter(ctx: ApiContext): Router {
  const { health, metrics } = ctx.deps;
  const router = Router();
  // Built once: the schemas are fixed for the life of the process.
  const orderSchema = canonicalOrderJsonSchema();
  const draftSchema = orderDraftJsonSchema();
  closeObjects(draftSchema);

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    let result: { ok: boolean; checks: Record<string, string> };
    try {
      result = await health.ready();
    } catch (err) {
      ctx.log(res).error({ err }, 'readiness check threw');
      result = { ok: false, checks: { ready: 'error' } };
    }
    res.status(result.ok ? 200 : 503).json({ status: result.ok ? 'ready' : 'unavailable', checks: result.checks });
  });

  router.get('/metrics', async (_req, res) => {
    const text = await metrics.render();
    res.type(metrics.contentType).send(text);
  });

  /** The canonical order, as partners receive it in deliveries. */
  router.get('/api/v1/schema/order', (_req, res) => {
    res.json(orderSchema);
  });

  /** What `POST /api/v1/orders` accepts without `?connector=`. */
  router.get('/api/v1/schema/order-draft', (_req, res) => {
    res.json(draftSchema);
  });

  return router;
}
