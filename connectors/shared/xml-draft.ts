import type { z } from 'zod';
import type { ErrorDetail } from '../../core/errors/hub-error';
import { DECIMAL_PATTERN, dec, sum } from '../../core/order/money';
import { orderDraftSchema } from '../../core/order/order.schema';
import type { OrderDraftInput } from '../../core/order/order.types';
import type { ParsedOrder, ParseResult } from '../connector';
import { issuesToDetails } from '../rest-api/zod-details';

/**
 * What the XML order parsers share between reading elements and handing back a ParseResult:
 * remembering which XPath each draft field came from, so that a missing element and a schema
 * failure alike are reported where the partner can find them; and reading the per-partner mapping.
 */

/** `lines[0].quantity` → `lines[0]` → `lines` → `` */
function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** The draft as a parser builds it: any field may still be missing; the schema decides. */
type Loose<T> = T extends readonly (infer U)[] ? Loose<U>[] : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T | undefined;
export type LooseDraft = Loose<OrderDraftInput>;

function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(/\.|\[|\]\.?/).filter((k) => k !== '')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export class XmlDraftSources {
  private readonly sources = new Map<string, string>();
  private readonly issues: ErrorDetail[] = [];
  /** Draft paths already reported, so the schema does not report the same gap a second time. */
  private readonly reported = new Set<string>();

  /** @param ref XPath of the order's root element: the ParsedOrder's ref and the fallback location. */
  constructor(readonly ref: string) {}

  /** Records that `draftPath` is read from `xpath`; returns `value` unchanged. */
  from<T>(draftPath: string, xpath: string, value: T): T {
    this.sources.set(draftPath, xpath);
    return value;
  }

  /** Like {@link from}, and an absent value becomes a `xml.required_missing` issue naming the XPath. */
  required(draftPath: string, xpath: string, value: string | undefined, what: string): string | undefined {
    this.sources.set(draftPath, xpath);
    if (value === undefined) this.problem(xpath, `${what} is missing`, 'xml.required_missing', draftPath);
    return value;
  }

  /** A value that is present but unusable, or a structural problem, reported at its XPath. */
  problem(xpath: string, message: string, code = 'xml.invalid_value', draftPath?: string): void {
    this.issues.push({ path: xpath, message, code });
    if (draftPath !== undefined) this.reported.add(draftPath);
  }

  /**
   * A line number read from the document (`document`) or counted (`position`, 1-based). An absent
   * number falls back to the position; one that is not a positive whole number is an issue.
   */
  lineNo(draftPath: string, xpath: string, raw: string | undefined, position: number, mode: 'document' | 'position'): number {
    this.sources.set(draftPath, xpath);
    if (mode === 'position' || raw === undefined) return position;
    if (/^\d{1,9}$/.test(raw) && Number(raw) > 0) return Number(raw);
    this.problem(xpath, `line number ${JSON.stringify(raw)} is not a positive whole number; mapping lineNumbers: position numbers lines by position`, 'xml.invalid_value', draftPath);
    return position;
  }

  /**
   * Validates the draft against the canonical schema. The order carries its draft only when neither
   * reading nor validation found anything wrong; each schema failure is restated at its XPath.
   */
  finish(draft: LooseDraft): ParsedOrder {
    const result = orderDraftSchema.safeParse(draft);
    if (!result.success) {
      for (const detail of issuesToDetails(result.error.issues)) {
        if (this.reported.has(detail.path)) continue;
        const raw = valueAt(draft, detail.path);
        const got = typeof raw === 'string' ? ` (got ${JSON.stringify(raw)})` : '';
        this.issues.push({ path: this.locate(detail.path), message: `${detail.path || 'order'} ${detail.message}${got}`, code: 'draft.invalid' });
      }
    }
    if (this.issues.length > 0 || !result.success) return { ref: this.ref, issues: this.issues };
    return { ref: this.ref, draft: result.data, issues: [] };
  }

  private locate(draftPath: string): string {
    let path = draftPath;
    let source = this.sources.get(path);
    while (source === undefined && path !== '') {
      path = parentPath(path);
      source = this.sources.get(path);
    }
    return source ?? this.ref;
  }
}

/** A whole-document refusal: nothing is taken. */
export function refusedDocument(code: string, issues: readonly ErrorDetail[]): ParseResult {
  return { ok: false, code, issues, orders: [] };
}

const mappingCache = new WeakMap<z.ZodType, WeakMap<object, unknown>>();

/**
 * Validates a partner's mapping (YAML, handed over as `ParseContext.mapping`) and applies its
 * defaults. Mapping objects live as long as the config, so each is validated once per schema.
 */
export function readMapping<S extends z.ZodType>(schema: S, raw: Readonly<Record<string, unknown>>): { ok: true; mapping: z.output<S> } | { ok: false; result: ParseResult } {
  let bySchema = mappingCache.get(schema);
  const cached = bySchema?.get(raw);
  if (cached !== undefined) return { ok: true, mapping: cached as z.output<S> };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, result: refusedDocument('mapping.invalid', issuesToDetails(parsed.error.issues, 'mapping')) };
  if (!bySchema) mappingCache.set(schema, (bySchema = new WeakMap()));
  bySchema.set(raw, parsed.data);
  return { ok: true, mapping: parsed.data };
}

/**
 * The calendar date an xs:date or xs:dateTime states, in the offset it was written with:
 * `2026-03-10T00:00:00-08:00` → `2026-03-10`. Anything else is returned unchanged, for the schema
 * to refuse with the value and its XPath.
 */
export function xmlDatePart(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^(\d{4}-\d{2}-\d{2})(?:$|T|Z$|[+-]\d{2}:\d{2}$)/.exec(value)?.[1] ?? value;
}

/** Digits kept when a price per several units is divided down to one unit: the schema allows ten. */
const UNIT_PRICE_SCALE = 10;

/**
 * The price of one unit when the document prices per `per` units (UBL BaseQuantity, IDoc PEINH).
 * A price per one unit, or a value that is not a decimal (the schema reports it), stays exactly as written.
 */
export function pricePerUnit(amount: string | undefined, per: string | undefined): string | undefined {
  if (amount === undefined || per === undefined || !DECIMAL_PATTERN.test(amount) || !DECIMAL_PATTERN.test(per)) return amount;
  const divisor = dec(per);
  if (divisor.isZero() || divisor.equals(1)) return amount;
  return dec(amount).dividedBy(divisor).toDecimalPlaces(UNIT_PRICE_SCALE).toFixed();
}

/**
 * Several percentages that apply to the same base (line discounts) as one: their sum. None is
 * undefined; one that is not a decimal is returned as it is, for the schema to report.
 */
export function sumOfPercents(values: readonly string[]): string | undefined {
  if (values.length <= 1) return values[0];
  return values.find((v) => !DECIMAL_PATTERN.test(v)) ?? sum(values.map((v) => dec(v))).toFixed();
}
