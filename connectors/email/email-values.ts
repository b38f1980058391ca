import { dateText, decimalText } from '../spreadsheet/sheet-values';

/**
 * Turns what people type in order mails into the canonical order's decimal strings, ISO dates and
 * currency codes. Numbers and dates go through the spreadsheet connector's readers, so a customer's
 * template means the same in an attached sheet and in the mail body.
 */

/** Understood whatever the template says: year first cannot be misread. */
const UNAMBIGUOUS_DATES = ['YYYY-M-D', 'YYYY/M/D', 'YYYY.M.D', 'YYYY年M月D日', 'YYYY年M月D号', 'YYYY年M月D'];
/** A date inside a longer value ("2026年12月15日前送达", "15/12/2026 latest"). */
const DATE_IN_TEXT = /\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}/;
/** Currency marks around a price: symbols, codes and the Chinese 元 (yuan) and 人民币. */
const CURRENCY_MARKS = /(?:RMB|CNY|USD|EUR|HKD|TWD|NTD|US\$|HK\$|NT\$|人民币|元|[¥￥$€£])/gi;
/** "/台", "/pc", "per unit", "each", "含税" after a price. */
const PRICE_SUFFIX = /\s*(?:\/\s*\S+|per\s+\S+|each|ea\.?|含税|未税|不含税)\s*$/i;
const QUANTITY = /^([\d.,\s]*\d)\s*([^\d\s.,][^\d]*)?$/u;

const CURRENCY_WORDS: Readonly<Record<string, string>> = {
  人民币: 'CNY',
  rmb: 'CNY',
  元: 'CNY',
  '¥': 'CNY',
  '￥': 'CNY',
  美元: 'USD',
  美金: 'USD',
  us$: 'USD',
  $: 'USD',
  欧元: 'EUR',
  '€': 'EUR',
  港币: 'HKD',
  港元: 'HKD',
  新台币: 'TWD',
  新臺幣: 'TWD',
  ntd: 'TWD',
  日元: 'JPY',
};

/** A price as a plain decimal string, currency marks removed; undefined when it is not a number. */
export function amountValue(text: string, decimalComma: boolean): string | undefined {
  const bare = text.normalize('NFKC').replace(CURRENCY_MARKS, '').replace(PRICE_SUFFIX, '').trim();
  return decimalText({ text: bare, kind: 'text' }, decimalComma);
}

/** "2", "2台", "150.5 m", "1,000 pcs": the number, and the unit written after it. */
export function quantityValue(text: string, decimalComma: boolean): { quantity: string; uom?: string } | undefined {
  const match = QUANTITY.exec(text.normalize('NFKC').trim());
  if (!match) return undefined;
  const quantity = decimalText({ text: match[1]!, kind: 'text' }, decimalComma);
  if (quantity === undefined) return undefined;
  const uom = match[2]?.trim();
  return uom ? { quantity, uom } : { quantity };
}

/** The date patterns tried for a customer: their template's first, then the unambiguous ones. */
export function dateFormats(template: { readonly dateFormat: readonly string[] }): string[] {
  return [...template.dateFormat, ...UNAMBIGUOUS_DATES];
}

/** The first date in the text as YYYY-MM-DD, read with the first of `formats` that names a real day. */
export function dateValue(text: string, formats: readonly string[]): string | undefined {
  const found = DATE_IN_TEXT.exec(text.normalize('NFKC'))?.[0].replace(/\s+/g, '');
  return found === undefined ? undefined : dateText({ text: found, kind: 'text' }, formats);
}

/** An ISO 4217 code from "CNY", "人民币", "US$", "usd"; undefined when it names no currency we know. */
export function currencyValue(text: string): string | undefined {
  const word = text.normalize('NFKC').trim().replace(/[()（）]/g, '');
  const known = CURRENCY_WORDS[word.toLowerCase()] ?? CURRENCY_WORDS[word];
  if (known) return known;
  return /^[A-Za-z]{3}$/.test(word) ? word.toUpperCase() : undefined;
}
