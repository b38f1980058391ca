import { Router } from 'express';
import { z } from 'zod';
import { ConflictError } from '../../core/errors/conflict.error';
import { NotFoundError } from '../../core/errors/not-found.error';
import type { RawMessage } from '../../core/store/store.port';
import { requirePrincipal } from './api-keys';
import { cursorParam, limitParam } from './query-params';
import type { ApiContext } from './route-context';
import { parseRequest } from './zod-details';

const utf8 = new TextDecoder('utf-8', { fatal: true });

const listQuery = z.strictObject({
  status: z.enum(['received', 'processed', 'quarantined']).optional(),
  connectorId: z.string().min(1).optional(),
  cursor: cursorParam,
  limit: limitParam,
});

/** The body as text when it is valid UTF-8 (JSON, XML, EDI nearly always are), else base64 so no byte is lost. */
function presentBody(body: Buffer): { body: string; bodyEncoding: 'utf-8' | 'base64' } {
  try {
    return { body: utf8.decode(body), bodyEncoding: 'utf-8' };
  } catch {
    return { body: body.toString('base64'), bodyEncoding: 'base64' };
  }
}

function presentRaw(raw: RawMessage) {
  const { body, ...rest } = raw;
  return { ...rest, ...presentBody(body) };
}

/** `/api/v1/raw`: what arrived, exactly as it arrived, and a way to run intake on it again. */
export function rawRouter(ctx: ApiContext): Router {
  const { store, intake } = ctx.deps;
  const router = Router();

  const loadRaw = async (id: string): Promise<RawMessage> => {
    const raw = await store.raw.get(id);
    if (!raw) throw new NotFoundError('raw', id);
    return raw;
  };

  /** What operators look through to fix and replay: e.g. `?status=quarantined&connectorId=sales-inbox`, oldest first, bodies left out. */
  router.get('/raw', ctx.authenticate('raw:read'), async (req, res) => {
    const page = await ctx.deps.store.raw.list(parseRequest(listQuery, req.query, 'query'));
    res.json({ items: page.items.map(({ body: _body, ...meta }) => meta), nextCursor: page.nextCursor ?? null });
  });

  router.get('/raw/:id', ctx.authenticate('raw:read'), async (req, res) => {
    res.json(presentRaw(await loadRaw(req.params.id)));
  });

  /**
   * For a quarantined message (after a mapping fix, say) or one stuck in `received`. A processed
   * message is refused: running it again would create its orders a second time.
   */
  router.post('/raw/:id/replay', ctx.authenticate('orders:operate'), async (req, res) => {
    const raw = await loadRaw(req.params.id);
    if (raw.status === 'processed') {
      throw new ConflictError('raw.already_processed', `raw message ${raw.id} was already processed into ${raw.orderIds.join(', ') || 'no orders'}`);
    }
    const actor = requirePrincipal(res).name;
    const log = ctx.log(res).child({ rawMessageId: raw.id });
    await store.raw.markForReplay(raw.id, ctx.now());
    try {
      await intake.enqueue(raw.id);
    } catch (err) {
      log.warn({ err }, 'could not queue replayed raw message; the sweeper will queue it');
    }
    log.info({ actor, from: raw.status }, 'raw message replayed');
    res.status(202).json({ rawMessageId: raw.id, status: 'received', links: { raw: `/api/v1/raw/${raw.id}` } });
  });

  return router;
}
