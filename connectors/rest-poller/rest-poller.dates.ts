import { z } from 'zod';

/**
 * How a platform writes instants, in its query parameters and in its orders' modified times:
 * `iso` (ISO 8601 with offset), `epoch-seconds`, `epoch-millis`, or a pattern of `yyyy MM dd HH mm ss
 * SSS` (e.g. `yyyy-MM-dd HH:mm:ss`, common with Chinese platforms) read in a fixed UTC offset.
 * Fixed offsets only: the platforms that write local times without an offset are in zones without
 * daylight saving (China, +08:00), and a fixed offset cannot be misread around a clock change.
 */

export const DATE_FORMAT_NAMES = ['iso', 'epoch-seconds', 'epoch-millis'] as const;
const PATTERN_TOKENS = /yyyy|MM|dd|HH|mm|ss|SSS/g;

export const dateFormatField = z
  .string()
  .refine((format) => (DATE_FORMAT_NAMES as readonly string[]).includes(format) || /yyyy/.test(format), {
    message: `one of ${DATE_FORMAT_NAMES.join(', ')} or a pattern with yyyy, MM, dd, HH, mm, ss (SSS)`,
  });

export const utcOffsetField = z.string().regex(/^(Z|[+-]\d{2}:\d{2})$/, 'Z or an offset such as +08:00');

export interface DateStyle {
  readonly format: string;
  /** `Z` or `±HH:MM`; applies to patterns only. */
  readonly utcOffset: string;
}

/** The platform's writing of `iso` (an instant, ISO 8601 in UTC as the hub keeps it). */
export function formatInstant(iso: string, style: DateStyle): string {
  const ms = Date.parse(iso);
  if (style.format === 'iso') return new Date(ms).toISOString();
  if (style.format === 'epoch-seconds') return String(Math.floor(ms / 1000));
  if (style.format === 'epoch-millis') return String(ms);
  const local = new Date(ms + offsetMinutes(style.utcOffset) * 60_000);
  const parts: Record<string, string> = {
    yyyy: String(local.getUTCFullYear()).padStart(4, '0'),
    MM: pad(local.getUTCMonth() + 1),
    dd: pad(local.getUTCDate()),
    HH: pad(local.getUTCHours()),
    mm: pad(local.getUTCMinutes()),
    ss: pad(local.getUTCSeconds()),
    SSS: String(local.getUTCMilliseconds()).padStart(3, '0'),
  };
  return style.format.replace(PATTERN_TOKENS, (token) => parts[token] ?? token);
}

/**
 * How fine the platform's writing is, in ms: a window bound written in seconds is rounded outwards
 * by the caller, so no order falls between two windows.
 */
export function resolutionMs(style: DateStyle): number {
  if (style.format === 'iso' || style.format === 'epoch-millis' || style.format.includes('SSS')) return 1;
  return 1000;
}

/**
 * An instant the platform wrote, as ISO 8601 in UTC (`2026-11-23T05:30:00.000Z`): the form the hub
 * compares cursors in and keys order versions by.
 * @returns undefined when `value` does not read in `style`
 */
export function readInstant(value: unknown, style: DateStyle): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (!text) return undefined;
  let ms: number;
  if (style.format === 'iso') {
    // An ISO time without offset is ambiguous; only full instants are accepted.
    ms = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? Date.parse(text) : Number.NaN;
  } else if (style.format === 'epoch-seconds' || style.format === 'epoch-millis') {
    ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * (style.format === 'epoch-seconds' ? 1000 : 1) : Number.NaN;
  } else {
    ms = readPattern(text, style);
  }
  return Number.isFinite(ms) ? new Date(Math.floor(ms)).toISOString() : undefined;
}

function readPattern(text: string, style: DateStyle): number {
  const tokens: string[] = [];
  const source = style.format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(PATTERN_TOKENS, (token) => {
    tokens.push(token);
    return token === 'yyyy' ? '(\\d{4})' : token === 'SSS' ? '(\\d{3})' : '(\\d{2})';
  });
  const found = new RegExp(`^${source}$`).exec(text);
  if (!found) return Number.NaN;
  const value = (token: string, fallback: number): number => {
    const i = tokens.indexOf(token);
    return i < 0 ? fallback : Number(found[i + 1]);
  };
  const utc = Date.UTC(value('yyyy', 1970), value('MM', 1) - 1, value('dd', 1), value('HH', 0), value('mm', 0), value('ss', 0), value('SSS', 0));
  const ms = utc - offsetMinutes(style.utcOffset) * 60_000;
  // Date.UTC rolls "2026-02-30" over into March; writing the instant back shows it was no date.
  return formatInstant(new Date(ms).toISOString(), style) === text ? ms : Number.NaN;
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  return sign * ((hours ?? 0) * 60 + (minutes ?? 0));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
