import { randomUUID } from 'node:crypto';
import busboy from 'busboy';
import { Router, type Request } from 'express';
import { HubError } from '../../core/errors/hub-error';
import { NotFoundError } from '../../core/errors/not-found.error';
import { ValidationError } from '../../core/errors/validation.error';
import type { RawMessage } from '../../core/store/store.port';
import { CONTRACT_SCAN_FORMAT } from '../ocr/scan-format';
import { requirePrincipal } from './api-keys';
import type { IntakeJobState } from './api-deps';
import { CANONICAL_CONNECTOR_ID } from './order-intake';
import type { ApiContext } from './route-context';

/**
 * `/api/v1/documents`: scanned contracts (PNG, JPEG, TIFF, PDF) uploaded as multipart/form-data,
 * kept as raw messages of format `contract-scan` (channel `upload`) and read by OCR in intake.
 * Multipart is read with busboy (https://github.com/mscdex/busboy#readme: `limits.fileSize`
 * truncates the file and emits `limit` on its stream). Progress comes from the intake job, which
 * reports it with `Job.updateProgress` and is found by its id, the raw message id
 * (https://api.docs.bullmq.io/classes/v5.Job.html, https://docs.bullmq.io/guide/jobs/getters).
 */

/** Only the file and a handful of form fields are read; anything beyond is a malformed upload. */
const FORM_LIMITS = { files: 1, fields: 10, parts: 12, fieldSize: 1024 } as const;

/** Over the size cap. Shaped as express's body-parser errors, so the error handler answers 413 request.too_large. */
class UploadTooLargeError extends Error {
  readonly type = 'entity.too.large';
  readonly status = 413;
  readonly expose = true;
  constructor(readonly limit: number) {
    super(`the file is larger than ${limit} bytes`);
  }
}

interface Upload {
  readonly fileName?: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** What a document's status is, as a client polls it. */
type DocumentStatus = 'received' | 'processing' | 'processed' | 'quarantined';

/** Reads the one file of a multipart/form-data request (field `file`); nothing is kept before the whole file is in. */
function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  const type = req.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    return Promise.reject(new HubError('request.not_multipart', 'send the document as multipart/form-data with the file in the field "file"', 'user', { details: [{ path: 'header:Content-Type', message: `is ${type || 'missing'}` }] }));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { ...FORM_LIMITS, fileSize: maxBytes } });
    } catch (err) {
      reject(new HubError('request.malformed_multipart', `the multipart body cannot be read: ${(err as Error).message}`, 'user'));
      return;
    }
    let upload: Upload | undefined;
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      // Read and drop the rest, so the client gets its answer on a connection in a clean state.
      req.resume();
      reject(err);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        fail(new ValidationError(`unexpected file field "${field}"; send the document in the field "file"`, [{ path: field, message: 'not a field of this form' }]));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new UploadTooLargeError(maxBytes)));
      stream.on('close', () => {
        if (!failed) upload = { ...(info.filename ? { fileName: info.filename } : {}), contentType: info.mimeType || 'application/octet-stream', body: Buffer.concat(chunks) };
      });
    });
    parser.on('filesLimit', () => fail(new ValidationError('send one document per request', [{ path: 'file', message: 'more than one file' }])));
    parser.on('error', (err: Error) => fail(new HubError('request.malformed_multipart', `the multipart body cannot be read: ${err.message}`, 'user')));
    parser.on('close', () => {
      if (failed) return;
      if (upload) resolve(upload);
      else reject(new ValidationError('no document in the request; send it in the multipart field "file"', [{ path: 'file', message: 'is required' }]));
    });
    req.pipe(parser);
  });
}

function statusOf(raw: RawMessage, job: IntakeJobState | undefined): DocumentStatus {
  if (raw.status !== 'received') return raw.status;
  return job?.state === 'active' ? 'processing' : 'received';
}

function presentDocument(raw: RawMessage, job: IntakeJobState | undefined) {
  const status = statusOf(raw, job);
  const orderIds = raw.status === 'processed' ? raw.orderIds : [];
  return {
    documentId: raw.id,
    status,
    ...(typeof raw.meta?.fileName === 'string' ? { fileName: raw.meta.fileName } : {}),
    contentType: raw.contentType,
    size: raw.size,
    channel: raw.channel,
    receivedAt: raw.receivedAt,
    ...(job?.progress ? { progress: { pagesDone: job.progress.done, pagesTotal: job.progress.total } } : {}),
    ...(raw.plannedOrderId ? { plannedOrderId: raw.plannedOrderId } : {}),
    orderIds,
    ...(raw.status === 'quarantined' ? { reason: raw.reason, details: raw.details } : {}),
    links: {
      raw: `/api/v1/raw/${raw.id}`,
      orders: orderIds.map((id) => `/api/v1/orders/${id}`),
      sources: orderIds.map((id) => `/api/v1/orders/${id}/source`),
    },
  };
}

export function documentsRouter(ctx: ApiContext): Router {
  const { store, intake, documents } = ctx.deps;
  const router = Router();

  /**
   * Keeps the file, then answers 202 with the document id (its raw message id) and the id its order
   * will get. OCR runs in intake; poll GET /api/v1/documents/:id. A file over the cap is refused
   * (413) and not kept: reading it whole would defeat the cap.
   */
  router.post('/documents', ctx.authenticate('orders:write'), async (req, res) => {
    if (!documents) throw new NotFoundError('route', 'POST /api/v1/documents');
    const principal = requirePrincipal(res);
    const upload = await readUpload(req, documents.maxBytes);
    const plannedOrderId = randomUUID();
    const meta = Object.fromEntries(
      Object.entries({ fileName: upload.fileName, apiKey: principal.name, remoteAddress: req.ip, userAgent: req.get('user-agent') }).filter(([, v]) => v !== undefined),
    );
    const { message } = await store.raw.put({
      id: randomUUID(),
      connectorId: CANONICAL_CONNECTOR_ID,
      channel: 'upload',
      format: CONTRACT_SCAN_FORMAT,
      contentType: upload.contentType,
      body: upload.body,
      plannedOrderId,
      receivedAt: ctx.now(),
      meta,
    });
    const log = ctx.log(res).child({ rawMessageId: message.id, orderId: plannedOrderId });
    try {
      await intake.enqueue(message.id);
    } catch (err) {
      log.warn({ err }, 'could not queue document for intake; the sweeper will queue it');
    }
    log.info({ fileName: upload.fileName, size: upload.body.length, contentType: upload.contentType }, 'document received');
    const document = `/api/v1/documents/${message.id}`;
    res
      .status(202)
      .location(document)
      .json({ documentId: message.id, rawMessageId: message.id, orderId: plannedOrderId, status: 'received', links: { document, order: `/api/v1/orders/${plannedOrderId}`, raw: `/api/v1/raw/${message.id}` } });
  });

  /**
   * received → processing (with pages done of pages in the document) → processed (with the order
   * ids) or quarantined (with the reason). The pages count stays while the queue keeps the job.
   */
  router.get('/documents/:id', ctx.authenticate('orders:read'), async (req, res) => {
    const raw = await store.raw.get(req.params.id);
    if (!raw || raw.format !== CONTRACT_SCAN_FORMAT) throw new NotFoundError('document', req.params.id);
    const job = await intake.job?.(raw.id);
    res.json(presentDocument(raw, job));
  });

  return router;
}
