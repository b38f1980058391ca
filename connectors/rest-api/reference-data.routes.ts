import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { currencyCode, isoDate, nonNegativeDecimal } from '../../core/order/order.schema';
import type { ApiContext } from './route-context';
import { parseRequest } from './zod-details';

const sku = z.string().min(1).max(100);

const inventoryBody = z.strictObject({
  levels: z.array(z.strictObject({ sku, location: z.string().min(1).max(100), onHand: nonNegativeDecimal })).min(1),
});

const pricesBody = z.strictObject({
  prices: z
    .array(
      z.strictObject({
        sku,
        currency: currencyCode,
        unitPrice: nonNegativeDecimal,
        customerKey: z
          .string()
          .regex(/^(id|name):.+$/, 'a customer key, "id:<customer id>" or "name:<lower-case name>"')
          .optional(),
      }),
    )
    .min(1),
});

const capacityBody = z.strictObject({
  days: z.array(z.strictObject({ date: isoDate, units: nonNegativeDecimal })).min(1),
});

const calendarBody = z.strictObject({
  days: z.array(z.strictObject({ date: isoDate, working: z.boolean(), note: z.string().max(200).optional() })).min(1),
});

const inventoryQuery = z.strictObject({
  sku: z.string().optional().meta({ description: 'Comma-separated SKUs; absent lists every SKU.' }),
});

/**
 * `/api/v1/inventory|prices|capacity|calendar`: the reference data the intake checks read. PUT
 * upserts the entries given and leaves the rest alone, as the store port does.
 */
export function referenceDataRouter(ctx: ApiContext): Router {
  const { store } = ctx.deps;
  const router = Router();

  /** One PUT route: validate the body, write it, answer how many entries were written. */
  const put = <S extends z.ZodType>(path: string, schema: S, write: (body: z.output<S>) => Promise<number>) => {
    const handler: RequestHandler = async (req, res) => {
      const updated = await write(parseRequest(schema, req.body, 'body'));
      ctx.log(res).info({ path, updated }, 'reference data updated');
      res.json({ updated });
    };
    router.put(path, ctx.authenticate('reference:write'), ctx.jsonBody, handler);
  };

  put('/inventory', inventoryBody, async ({ levels }) => {
    await store.inventory.setStock(levels);
    return levels.length;
  });
  put('/prices', pricesBody, async ({ prices }) => {
    await store.prices.setPrices(prices);
    return prices.length;
  });
  put('/capacity', capacityBody, async ({ days }) => {
    await store.capacity.setCapacity(days);
    return days.length;
  });
  put('/calendar', calendarBody, async ({ days }) => {
    await store.calendar.setDays(days);
    return days.length;
  });

  router.get('/inventory', ctx.authenticate('orders:read'), async (req, res) => {
    const { sku: list } = parseRequest(inventoryQuery, req.query, 'query');
    const skus = list?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const items = skus === undefined || skus.length === 0 ? await store.inventory.list() : await store.inventory.positions(skus);
    res.json({ items });
  });

  return router;
}
