import { randomBytes } from 'node:crypto';
import { dec } from '../../core/order/money';

/**
 * Some partner APIs document amounts and quantities as JSON numbers (Kingdee's Save model, U8's
 * OpenAPI bodies, Odoo's float fields). The hub keeps them as decimal strings; routing them through
 * a JavaScript number would round "0.1" + "0.2" style values. These helpers write the decimal's
 * digits into the JSON text as a number literal, so no float ever holds the amount.
 */

/** A decimal string to be written as a JSON number literal. */
export class JsonDecimal {
  /** Plain notation (no exponent, no leading zeros), as JSON requires of a number. */
  readonly literal: string;

  constructor(value: string) {
    this.literal = dec(value).toFixed();
  }
}

export function jsonNumber(value: string): JsonDecimal {
  return new JsonDecimal(value);
}

/**
 * JSON.stringify, with every JsonDecimal written as a number literal. A random marker per call
 * stands in for each decimal while stringifying, so no string in the data can pose as one.
 */
export function stringifyWithDecimals(value: unknown): string {
  const marker = `\u0001${randomBytes(8).toString('hex')}:`;
  const text = JSON.stringify(value, (_key, item: unknown) => (item instanceof JsonDecimal ? `${marker}${item.literal}` : item));
  const escapedMarker = JSON.stringify(marker).slice(1, -1).replace(/\\/g, '\\\\');
  return text.replace(new RegExp(`"${escapedMarker}(-?\\d+(?:\\.\\d+)?)"`, 'g'), '$1');
}
