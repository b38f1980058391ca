import Decimal from 'decimal.js';

/**
 * Money and quantities travel as decimal strings ("12.50") and are computed with decimal.js;
 * a JavaScript number never holds an amount. A dedicated constructor keeps the hub's settings
 * away from other users of the global Decimal.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

/** Plain decimal notation only: no exponent, no thousands separators, no leading "+". */
export const DECIMAL_PATTERN = /^-?\d{1,18}(\.\d{1,10})?$/;

export function dec(value: string | number | Decimal): Decimal {
  return new Dec(value);
}

/** Minor units per ISO 4217 where they differ from 2. */
const MINOR_UNITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

/** Rounds half up to the currency's minor unit and renders fixed-point ("1200.00"). */
export function toMoney(value: Decimal, currency: string): string {
  return value.toDecimalPlaces(minorUnits(currency), Decimal.ROUND_HALF_UP).toFixed(minorUnits(currency));
}

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), new Dec(0));
}
