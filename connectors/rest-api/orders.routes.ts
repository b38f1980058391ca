import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors/not-found.error';
import { orderStatus } from '../../core/order/order.schema';
import type { CanonicalOrder } from '../../core/order/order.types';
import { ForbiddenError, requirePrincipal } from './api-keys';
import { intakeHandlers } from './order-intake';
import { cursorParam, instantParam, limitParam } from './query-params';
import type { ApiContext } from './route-context';
import { parseRequest } from './zod-details';

const listQuery = z.strictObject({
  status: orderStatus.optional(),
  customer: z.string().min(1).optional(),
  from: instantParam,
  to: instantParam,
  cursor: cursorParam,
  limit: limitParam,
});

const approvalBody = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().max(2000).optional(),
  /** Only an admin key may sign for a review role other than its own (a stand-in signature, recorded as such). */
  role: z.enum(['sales', 'finance', 'production']).optional(),
});

const statusBody = z.strictObject({
  to: orderStatus,
  reason: z.string().min(1).max(2000).optional(),
});

/** An id the API just handed out has no order until the intake worker has run; say so. */
function orderNotFound(id: string): NotFoundError {
  const err = new NotFoundError('order', id);
  err.message = `order ${id} not found; an order accepted moments ago appears once intake has run, so retry shortly`;
  return err;
}

/** `/api/v1/orders`: intake, reads, and the lifecycle commands. */
export function ordersRouter(ctx: ApiContext): Router {
  const { store, commands } = ctx.deps;
  const router = Router();

  router.post('/orders', ...intakeHandlers(ctx));

  router.get('/orders', ctx.authenticate('orders:read'), async (req, res) => {
    const query = parseRequest(listQuery, req.query, 'query');
    const page = await store.orders.list(query);
    res.json({ items: page.items, nextCursor: page.nextCursor ?? null });
  });

  const loadOrder = async (id: string): Promise<CanonicalOrder> => {
    const order = await store.orders.get(id);
    if (!order) throw orderNotFound(id);
    return order;
  };

  router.get('/orders/:id', ctx.authenticate('orders:read'), async (req, res) => {
    res.json(await loadOrder(req.params.id));
  });

  router.get('/orders/:id/history', ctx.authenticate('orders:read'), async (req, res) => {
    const order = await loadOrder(req.params.id);
    res.json({ orderId: order.id, status: order.status, history: order.history });
  });

  router.post('/orders/:id/approvals', ctx.authenticate('orders:approve'), ctx.jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    const body = parseRequest(approvalBody, req.body, 'body');
    if (body.role && body.role !== principal.role && principal.role !== 'admin') throw new ForbiddenError(principal.name, principal.role, 'orders:approve');
    const order = await commands.approve({
      orderId: req.params.id,
      role: body.role ?? principal.role,
      actor: principal.name,
      decision: body.decision,
      ...(body.comment === undefined ? {} : { comment: body.comment }),
    });
    ctx.log(res).info({ orderId: order.id, decision: body.decision, role: principal.role, actor: principal.name }, 'approval recorded');
    res.json(order);
  });

  router.post('/orders/:id/status', ctx.authenticate('orders:operate'), ctx.jsonBody, async (req, res) => {
    const principal = requirePrincipal(res);
    const body = parseRequest(statusBody, req.body, 'body');
    const order = await commands.changeStatus({
      orderId: req.params.id,
      to: body.to,
      actor: principal.name,
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
    ctx.log(res).info({ orderId: order.id, to: body.to, actor: principal.name }, 'status changed');
    res.json(order);
  });

  return router;
}
