import { HubError } from '../../core/errors';

/**
 * Amounts written in Chinese capital numerals (大写金额): "壹拾贰万叁仟肆佰元整",
 * "人民币伍万元整", "叁仟肆佰伍拾陆元柒角捌分". Contracts and invoices print them beside the figure so
 * that neither can be altered alone; the extractor reads both and compares them.
 *
 * The rules are the People's Bank of China's for filling in bills (《正确填写票据和结算凭证的基本规定》,
 * 银发〔1997〕393号; retold at http://m.studyofnet.com/432243873.html): digits 壹…玖 with the units
 * 拾 佰 仟 万 亿 元 角 分; one 零 for a run of zero digits; 整 (or 正) after 元, optional after 角,
 * none after 分; traditional forms (貳 參 陸 萬 億 圓) are valid.
 *
 * Two kinds of departure are told apart. A value that cannot be read one way only (a digit after 佰
 * with neither 零 nor 拾: "壹佰伍元" is 105 or 150) or that breaks the grammar (units out of order, a
 * unit twice, an unknown character) is refused with {@link ChineseAmountError}. A value that can be
 * read but is not what the rules say — a character OCR commonly confuses (什 for 拾, 百 for 佰,
 * 〇 for 零), a missing 零 between digits or a missing 整 — is read and each departure is listed in
 * `notes`, so the caller can lower its confidence in the value.
 */

export interface ChineseAmount {
  /** Fixed-point with two decimals ("123400.00"). */
  readonly value: string;
  /** The numerals as read, without the currency before them and with OCR confusions repaired ("壹拾贰万元整"). */
  readonly text: string;
  /** Every departure from the rules that did not stop the reading, in words; empty for a clean value. */
  readonly notes: readonly string[];
}

/** Refused text; `details[0].message` says where and why. */
export class ChineseAmountError extends HubError {
  constructor(
    readonly text: string,
    reason: string,
  ) {
    super('ocr.amount_in_words_invalid', `"${text}" is not an amount in Chinese capital numerals: ${reason}`, 'user', {
      details: [{ path: 'amountInWords', message: reason, code: 'ocr.amount_in_words_invalid' }],
    });
  }
}

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 壹: 1, 贰: 2, 貳: 2, 叁: 3, 參: 3, 叄: 3, 肆: 4, 伍: 5, 陆: 6, 陸: 6, 柒: 7, 捌: 8, 玖: 9 };
/** Units inside a group of four digits. */
const SMALL_UNITS: Readonly<Record<string, bigint>> = { 仟: 1000n, 佰: 100n, 拾: 10n };
/** Written forms the rules accept as equal. */
const VARIANTS: Readonly<Record<string, string>> = { 圆: '元', 圓: '元', 萬: '万', 億: '亿', 正: '整' };
/**
 * Characters OCR (or a hurried writer) puts where a capital numeral belongs, with what they may
 * stand for; read, but noted. 什 is both the homophone people write for 拾 and the shape OCR reads
 * for 仟, so both are tried and the grammar decides. The second group is what tesseract's chi_sim
 * model printed for capital numerals on the contract corpus (docs/ocr-accuracy.md): none of them can
 * be part of an amount, and a wrong guess cannot pass unseen, as the amount is always compared with
 * the figures.
 */
const CONFUSIONS: Readonly<Record<string, readonly string[]>> = {
  什: ['拾', '仟'],
  十: ['拾'],
  百: ['佰'],
  千: ['仟'],
  〇: ['零'],
  '○': ['零'],
  O: ['零'],
  o: ['零'],
  另: ['零'],
  任: ['仟'],
  参: ['叁'],
  染: ['柒'],
  柴: ['柒'],
  歪: ['贰'],
  炳: ['贰'],
  炼: ['贰'],
  婷: ['壹'],
  喜: ['壹'],
  壶: ['壹'],
  付: ['仟'],
  仔: ['仟'],
  拙: ['拾'],
};
/** Every character an amount may be written with, confusions included; for finding one in a line of text. */
export const AMOUNT_CHARACTERS = `${Object.keys(DIGITS).join('')}拾佰仟万亿元圆圓萬億角分整正${Object.keys(CONFUSIONS).join('')}`;
/** Words allowed before the numerals: the currency, "(大写)" and a colon. */
const PREFIX = /^(?:(?:人民币|美元|港币|港元|欧元|日元|RMB|CNY|USD|大写|金额|[(（):：\s])+)/u;
/** More confused characters than this in one amount is not a misread amount but something else. */
const MAX_CONFUSED = 4;

/** The amount as a decimal string; throws {@link ChineseAmountError} for text that is not one. */
export function parseChineseAmount(text: string): ChineseAmount {
  const stripped = text.normalize('NFKC').replace(/\s+/g, '').replace(PREFIX, '').replace(/[。.，,]+$/u, '');
  const original = [...stripped];
  const written = original.map((ch) => VARIANTS[ch] ?? ch);
  const confused = written.filter((ch) => CONFUSIONS[ch] !== undefined);
  if (confused.length > MAX_CONFUSED) throw new ChineseAmountError(text, `${confused.join('')}: too many characters that are not capital numerals`);
  let firstError: ChineseAmountError | undefined;
  const readings: { value: string; text: string; notes: string[] }[] = [];
  for (const chars of repairs(written)) {
    try {
      const notes = written.flatMap((ch, i) => (ch === chars[i] ? [] : [`${ch} read as ${chars[i]!}`]));
      const value = readAmount(chars, text, notes);
      // The text keeps the writer's variants (圆, 正) and carries only the repairs.
      const repairedText = original.map((ch, i) => (written[i] === chars[i] ? ch : chars[i]!)).join('');
      if (!readings.some((r) => r.value === value)) readings.push({ value, text: repairedText, notes });
    } catch (err) {
      if (!(err instanceof ChineseAmountError)) throw err;
      firstError ??= err;
    }
  }
  const [reading, ...others] = readings;
  if (!reading) throw firstError!;
  if (others.length > 0) reading.notes.push(`also readable as ${others.map((r) => r.value).join(', ')}`);
  return reading;
}

/** Every way of reading the confused characters, the likeliest (first listed) first. */
function repairs(chars: readonly string[]): string[][] {
  return chars.reduce<string[][]>((acc, ch) => acc.flatMap((prefix) => (CONFUSIONS[ch] ?? [ch]).map((c) => [...prefix, c])), [[]]);
}

function readAmount(chars: readonly string[], text: string, notes: string[]): string {
  const unknown = chars.find((ch) => DIGITS[ch] === undefined && !'拾佰仟万亿元角分整'.includes(ch));
  if (chars.length === 0) throw new ChineseAmountError(text, 'no numerals');
  if (unknown !== undefined) throw new ChineseAmountError(text, `"${unknown}" is not a capital numeral or unit`);

  const body = chars.join('');
  const yuanAt = body.indexOf('元');
  if (yuanAt !== body.lastIndexOf('元')) throw new ChineseAmountError(text, '元 appears twice');
  const integerPart = yuanAt < 0 ? '' : body.slice(0, yuanAt);
  const fractionPart = yuanAt < 0 ? body : body.slice(yuanAt + 1);
  if (yuanAt === 0) throw new ChineseAmountError(text, 'no numerals before 元');
  if (yuanAt < 0 && !/[角分]/.test(body)) throw new ChineseAmountError(text, 'neither 元 nor 角/分: the amount has no unit');

  const yuan = integerPart === '' ? 0n : readInteger(integerPart, text, notes);
  const fen = readFraction(fractionPart, text, notes, yuanAt >= 0);
  const cents = yuan * 100n + fen;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/** "壹拾贰万叁仟肆佰" → 123400; groups of four digits under 亿 and 万. */
function readInteger(part: string, text: string, notes: string[]): bigint {
  if (part === '零') return 0n;
  const [aboveYi, belowYi] = splitOnce(part, '亿', text);
  const high = aboveYi === undefined ? 0n : readWan(aboveYi, text, notes, '');
  const low = belowYi === '' ? 0n : readWan(belowYi, text, notes, aboveYi === undefined ? '' : '亿');
  return high * 100_000_000n + low;
}

/** `after` is the unit of the group before this part ('万', '亿'), '' when the part leads. */
function readWan(part: string, text: string, notes: string[], after: string): bigint {
  const [aboveWan, belowWan] = splitOnce(part, '万', text);
  const high = aboveWan === undefined ? 0n : readGroup(aboveWan, text, notes, after);
  const low = belowWan === '' ? 0n : readGroup(belowWan, text, notes, aboveWan === undefined ? after : '万');
  return high * 10_000n + low;
}

/** Splits at the one `unit`; [undefined, part] when it is absent. */
function splitOnce(part: string, unit: string, text: string): [string | undefined, string] {
  const at = part.indexOf(unit);
  if (at < 0) return [undefined, part];
  if (at !== part.lastIndexOf(unit)) throw new ChineseAmountError(text, `${unit} appears twice`);
  if (at === 0) throw new ChineseAmountError(text, `no numerals before ${unit}`);
  return [part.slice(0, at), part.slice(at + 1)];
}

/**
 * One group of up to four digits: digit–unit pairs in falling order (仟 佰 拾), 零 for skipped
 * units, and the ones digit last without a unit. `after` is the unit of the group before ('万',
 * '亿'), or '' for the number's first group, where a bare 拾 means 壹拾 ("拾万元" is 100,000).
 */
function readGroup(group: string, text: string, notes: string[], after: string): bigint {
  const chars = [...group];
  let total = 0n;
  let lastUnit = 10_000n;
  let lastName = after;
  let zeroPending = false;
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i]!;
    if (ch === '零') {
      if (after === '' && i === 0) throw new ChineseAmountError(text, 'the amount starts with 零');
      if (zeroPending) throw new ChineseAmountError(text, '零 twice in a row');
      zeroPending = true;
      i += 1;
      continue;
    }
    const digit = DIGITS[ch];
    if (digit === undefined) {
      if (ch !== '拾' || after !== '' || i !== 0) throw new ChineseAmountError(text, `${ch} has no digit before it`);
      total = 10n;
      lastUnit = 10n;
      lastName = '拾';
      i += 1;
      continue;
    }
    const unitChar = chars[i + 1];
    if (unitChar === undefined) {
      // The ones digit: after 佰, 仟 or 万 it needs 零, or "壹佰伍" could mean 150 and "壹万伍" 15,000.
      const unambiguous = lastUnit === 10n || zeroPending || (after === '' && i === 0);
      if (!unambiguous) throw new ChineseAmountError(text, `${ch} after ${lastName} needs 零 before it (or a unit after it)`);
      total += BigInt(digit);
      i += 1;
      zeroPending = false;
      continue;
    }
    const unit = SMALL_UNITS[unitChar];
    if (unit === undefined) throw new ChineseAmountError(text, `${unitChar} cannot follow ${ch}`);
    if (unit >= lastUnit) throw new ChineseAmountError(text, `${unitChar} after ${lastName}: units must fall`);
    // A unit more than one place below the last one skips a zero digit, which the rules mark with 零.
    const skipped = lastUnit / unit > 10n && !(after === '' && lastUnit === 10_000n);
    if (skipped && !zeroPending) notes.push(`零 missing before ${ch}${unitChar}`);
    if (!skipped && zeroPending && lastUnit < 10_000n) throw new ChineseAmountError(text, `零 before ${ch}${unitChar} where no digit is zero`);
    total += BigInt(digit) * unit;
    lastUnit = unit;
    lastName = unitChar;
    zeroPending = false;
    i += 2;
  }
  if (zeroPending) throw new ChineseAmountError(text, `零 at the end of a group, before ${after === '' ? '万, 亿 or 元' : 'a unit'}`);
  return total;
}

/** Any digit, traditional forms included, for the 角/分 pattern. */
const DIGIT_CLASS = `[${Object.keys(DIGITS).join('')}]`;
const FRACTION = new RegExp(`^(零)?(?:(${DIGIT_CLASS})角)?(零)?(?:(${DIGIT_CLASS})分)?$`, 'u');

/** What follows 元 (or the whole text when there is no 元): "整", "伍角", "零贰分", "柒角捌分"; in fen. */
function readFraction(part: string, text: string, notes: string[], hasYuan: boolean): bigint {
  const zheng = part.endsWith('整');
  const match = FRACTION.exec(zheng ? part.slice(0, -1) : part);
  if (!match) throw new ChineseAmountError(text, `"${part}" after 元 is not 角 and 分`);
  const [, zeroFirst, jiaoDigit, zeroBetween, fenDigit] = match;
  if (zeroBetween !== undefined) throw new ChineseAmountError(text, '零 between 角 and 分');
  if (fenDigit === '零') throw new ChineseAmountError(text, '零分 is written as nothing');
  if (zeroFirst !== undefined && !hasYuan) throw new ChineseAmountError(text, 'the amount starts with 零');
  if (zeroFirst !== undefined && jiaoDigit === undefined && fenDigit === undefined) throw new ChineseAmountError(text, '零 after 元 with no 角 or 分 after it');
  if (jiaoDigit === '零') {
    if (fenDigit === undefined) throw new ChineseAmountError(text, '零角 with no 分 after it');
    if (zeroFirst !== undefined) throw new ChineseAmountError(text, '零 twice in a row');
    notes.push('零角 written for 零');
  }
  const jiao = jiaoDigit === undefined ? 0 : DIGITS[jiaoDigit]!;
  const fen = fenDigit === undefined ? 0 : DIGITS[fenDigit]!;
  if (hasYuan && jiao === 0 && fen > 0 && zeroFirst === undefined && jiaoDigit === undefined) notes.push('零 missing before the 分 (no 角)');
  if (zheng && fen > 0) notes.push('整 after 分');
  if (!zheng && hasYuan && jiao === 0 && fen === 0) notes.push('整 missing after 元');
  if (!hasYuan && jiao === 0 && fen === 0) throw new ChineseAmountError(text, 'no numerals');
  return BigInt(jiao * 10 + fen);
}
