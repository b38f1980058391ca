import { Router } from 'express';
import { NotFoundError } from '../../core/errors/not-found.error';
import type { CanonicalOrder } from '../../core/order/order.types';
import { readingKey } from '../connector';
import { keptId } from '../documents/document-archive';
import { parseReading, type OcrReading } from '../ocr/ocr-reading';
import type { ApiContext } from './route-context';

/**
 * `/api/v1/orders/:id/source`: for a reviewer, the scanned document an order was read from, page by
 * page, with every field OCR extracted (value, confidence, page, box) and the doubts that sent the
 * order to review, so the form and the scan can be shown side by side. Page images are served
 * separately (`pages/:index.png`, 0-based as the fields' `page`), so the JSON stays small.
 */

/** Pages never change once read; a browser may keep them while the reviewer works. */
const PAGE_CACHE = 'private, max-age=3600, immutable';

export function orderSourceRouter(ctx: ApiContext): Router {
  const { store } = ctx.deps;
  const router = Router();

  const loadReading = async (orderId: string): Promise<{ order: CanonicalOrder; reading: OcrReading }> => {
    const order = await store.orders.get(orderId);
    if (!order) throw new NotFoundError('order', orderId);
    const { connectorId, rawMessageId } = order.source;
    const kept = await store.raw.get(keptId(connectorId, readingKey(rawMessageId)));
    if (!kept) {
      const err = new NotFoundError('order_source', orderId);
      err.message = `order ${orderId} was not read from a scan, so there are no pages to show; what it came from is raw message ${rawMessageId} (/api/v1/raw/${rawMessageId})`;
      throw err;
    }
    return { order, reading: parseReading(kept.body) };
  };

  router.get('/orders/:id/source', ctx.authenticate('orders:read'), async (req, res) => {
    const { order, reading } = await loadReading(req.params.id);
    const base = `/api/v1/orders/${order.id}/source/pages`;
    res.json({
      orderId: order.id,
      rawMessageId: order.source.rawMessageId,
      status: order.status,
      confidence: reading.confidence,
      pages: reading.pages.map(({ png, ...page }) => ({ ...page, ...(png ? { image: `${base}/${page.index}.png` } : {}) })),
      fields: reading.fields,
      doubts: reading.doubts,
      links: { order: `/api/v1/orders/${order.id}`, raw: `/api/v1/raw/${order.source.rawMessageId}` },
    });
  });

  router.get('/orders/:id/source/pages/:index.png', ctx.authenticate('orders:read'), async (req, res) => {
    const { order, reading } = await loadReading(req.params.id);
    const page = reading.pages.find((p) => String(p.index) === req.params.index);
    if (!page?.png) throw new NotFoundError('source_page', `${order.id} page ${req.params.index}`);
    res.set('Cache-Control', PAGE_CACHE).type('png').send(Buffer.from(page.png, 'base64'));
  });

  return router;
}
