/**
 * X12 values in, canonical strings out. Amounts never pass through a JavaScript number: a decimal
 * (R type) that is already plain ("10", "12.5") comes back untouched; only the spellings X12
 * allows and the canonical pattern does not (".5", "+3", "5.") are rewritten.
 */

function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Normalised decimal, or the value as received when it is not one (the draft schema then names it). */
export function x12Decimal(raw: string): string {
  let sign = '';
  let body = raw;
  if (body.startsWith('+') || body.startsWith('-')) {
    sign = body.startsWith('-') ? '-' : '';
    body = body.slice(1);
  }
  const dot = body.indexOf('.');
  const whole = dot === -1 ? body : body.slice(0, dot);
  const fraction = dot === -1 ? '' : body.slice(dot + 1);
  if ((whole !== '' && !allDigits(whole)) || (fraction !== '' && !allDigits(fraction)) || (whole === '' && fraction === '')) return raw;
  const normalised = `${whole === '' ? '0' : whole}${fraction === '' ? '' : `.${fraction}`}`;
  return `${sign}${normalised}`;
}

/** CCYYMMDD → YYYY-MM-DD for a real calendar day; anything else comes back as received. */
export function x12Date(raw: string): string {
  if (raw.length !== 8 || !allDigits(raw)) return raw;
  const iso = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : raw;
}

/** YYYY-MM-DD → CCYYMMDD. */
export function toX12Date(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '');
}

/** An ISO date-time's UTC time of day as HHMM. */
export function toX12Time(date: Date): string {
  return date.toISOString().slice(11, 16).replace(':', '');
}
