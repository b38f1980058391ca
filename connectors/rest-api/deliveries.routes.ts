import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors/not-found.error';
import { requirePrincipal } from './api-keys';
import { cursorParam, limitParam } from './query-params';
import type { ApiContext } from './route-context';
import { parseRequest } from './zod-details';

const listQuery = z.strictObject({
  status: z.enum(['pending', 'retrying', 'delivered', 'dead']).optional(),
  target: z.string().min(1).optional(),
  orderId: z.string().min(1).optional(),
  cursor: cursorParam,
  limit: limitParam,
});

/** `/api/v1/deliveries`: every push to a partner, with its attempts, and replay of dead ones. */
export function deliveriesRouter(ctx: ApiContext): Router {
  const { store, deliveries } = ctx.deps;
  const router = Router();

  router.get('/deliveries', ctx.authenticate('deliveries:read'), async (req, res) => {
    const page = await store.deliveries.list(parseRequest(listQuery, req.query, 'query'));
    res.json({ items: page.items, nextCursor: page.nextCursor ?? null });
  });

  router.get('/deliveries/:id', ctx.authenticate('deliveries:read'), async (req, res) => {
    const delivery = await store.deliveries.get(req.params.id);
    if (!delivery) throw new NotFoundError('delivery', req.params.id);
    res.json(delivery);
  });

  /** 404 is answered here so it reads the same whatever the replay implementation does; its state rules stay its own. */
  router.post('/deliveries/:id/replay', ctx.authenticate('deliveries:replay'), async (req, res) => {
    if (!(await store.deliveries.get(req.params.id))) throw new NotFoundError('delivery', req.params.id);
    const actor = requirePrincipal(res).name;
    const delivery = await deliveries.replay(req.params.id, actor);
    ctx.log(res).info({ deliveryId: delivery.id, orderId: delivery.orderId, target: delivery.target, actor }, 'delivery replay requested');
    res.status(202).json(delivery);
  });

  return router;
}
