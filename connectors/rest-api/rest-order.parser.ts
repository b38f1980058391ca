import { HubError, type ErrorDetail } from '../../core/errors/hub-error';
import { orderDraftSchema } from '../../core/order/order.schema';
import type { OrderDraft } from '../../core/order/order.types';
import type { RawMessage } from '../../core/store/store.port';
import type { InboundMapper } from '../connector';
import { issuesToDetails, unknownFieldDetails } from './zod-details';

export type ParseFailureCode = 'request.malformed_json' | 'validation.failed' | 'mapping.failed';

export type ParseOutcome =
  | { readonly ok: true; readonly draft: OrderDraft }
  | { readonly ok: false; readonly code: ParseFailureCode; readonly message: string; readonly details: ErrorDetail[] };

/** JSON on the wire is UTF-8 (RFC 8259 §8.1); `fatal` turns stray bytes into an error instead of U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a body posted to `POST /api/v1/orders` into an order draft: canonical JSON as is, or a
 * partner's JSON through the connector's mapper. Pure (no store, no HTTP), so the API answers with
 * exactly what the intake worker will later conclude when it re-parses the stored raw message.
 *
 * Unknown fields are rejected at every depth (see {@link unknownFieldDetails}); a JSON body that is
 * well-formed but not an object is a validation failure (422), not malformed JSON (400).
 */
export async function parseRestOrder(raw: Pick<RawMessage, 'body'>, mapper?: InboundMapper): Promise<ParseOutcome> {
  const json = readJson(raw.body);
  if (!json.ok) return json;
  if (!mapper) return validateDraft(json.value, 'order draft');

  let mapped: unknown;
  try {
    mapped = await mapper.map(json.value);
  } catch (err) {
    return mappingFailure(err);
  }
  if (typeof mapped !== 'object' || mapped === null || Array.isArray(mapped)) {
    return {
      ok: false,
      code: 'mapping.failed',
      message: 'the mapping did not produce an order object',
      details: [{ path: '', message: `mapping produced ${mapped === undefined ? 'nothing' : Array.isArray(mapped) ? 'an array' : typeof mapped}` }],
    };
  }
  return validateDraft(mapped, 'mapped order draft');
}

function readJson(body: Buffer): { ok: true; value: unknown } | Extract<ParseOutcome, { ok: false }> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return malformed('body is not valid UTF-8');
  }
  if (text.trim() === '') return malformed('body is empty');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return malformed((err as Error).message);
  }
}

function malformed(reason: string): Extract<ParseOutcome, { ok: false }> {
  return { ok: false, code: 'request.malformed_json', message: `body is not valid JSON: ${reason}`, details: [{ path: '', message: reason }] };
}

function validateDraft(input: unknown, what: string): ParseOutcome {
  const result = orderDraftSchema.safeParse(input, { reportInput: true });
  const details = [...(result.success ? [] : issuesToDetails(result.error.issues)), ...unknownFieldDetails(orderDraftSchema, input)];
  if (result.success && details.length === 0) return { ok: true, draft: result.data };
  const paths = details.map((d) => d.path || '(body)');
  return { ok: false, code: 'validation.failed', message: `${what} is invalid: ${paths.join(', ')}`, details };
}

function mappingFailure(err: unknown): ParseOutcome {
  // The mapper's own code (shop.currency_mismatch …) stays on each detail, so the quarantine says why.
  if (err instanceof HubError) return { ok: false, code: 'mapping.failed', message: err.message, details: err.details.map((d) => ({ code: err.code, ...d })) };
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, code: 'mapping.failed', message: `mapping failed: ${message}`, details: [{ path: '', message }] };
}
