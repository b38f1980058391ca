import { ChineseAmountError, parseChineseAmount } from '../../../connectors/ocr/chinese-amount';

function read(text: string): string {
  return parseChineseAmount(text).value;
}

function refusal(text: string): ChineseAmountError {
  try {
    parseChineseAmount(text);
  } catch (err) {
    if (err instanceof ChineseAmountError) return err;
    throw err;
  }
  throw new Error(`"${text}" was read as an amount`);
}

describe('amounts in Chinese capital numerals (大写金额)', () => {
  describe('when the amount is written by the rules', () => {
    it.each([
      ['壹拾贰万叁仟肆佰元整', '123400.00'],
      ['人民币伍万元整', '50000.00'],
      ['叁仟肆佰伍拾陆元柒角捌分', '3456.78'],
      ['人民币壹仟肆佰零玖元伍角', '1409.50'],
      ['陆仟零柒元壹角肆分', '6007.14'],
      ['壹仟陆佰捌拾元零叁角贰分', '1680.32'],
      ['壹仟陆佰捌拾元叁角贰分', '1680.32'],
      ['壹拾万柒仟元伍角叁分', '107000.53'],
      ['壹拾万零柒仟元伍角叁分', '107000.53'],
      ['壹万陆仟肆佰零玖元零贰分', '16409.02'],
      ['叁佰贰拾伍元零肆分', '325.04'],
      ['零元整', '0.00'],
      ['伍角', '0.50'],
      ['叁分', '0.03'],
      ['拾元整', '10.00'],
      ['拾万元整', '100000.00'],
      ['壹拾元整', '10.00'],
      ['玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分', '99999999.99'],
      ['壹亿元整', '100000000.00'],
      ['壹亿零伍佰万元整', '105000000.00'],
      ['叁亿贰仟万零壹元整', '320000001.00'],
      ['壹仟零伍元整', '1005.00'],
      ['壹佰零伍元整', '105.00'],
      ['壹佰壹拾伍元整', '115.00'],
      ['贰万零伍元整', '20005.00'],
    ])('reads %s as %s', (text, value) => {
      expect(parseChineseAmount(text)).toMatchObject({ value, notes: [] });
    });

    it('accepts the traditional forms and 正 for 整 as equal', () => {
      expect(parseChineseAmount('貳萬參仟陸佰圓正')).toMatchObject({ value: '23600.00', notes: [] });
      expect(parseChineseAmount('壹億圓整')).toMatchObject({ value: '100000000.00', notes: [] });
    });

    it('ignores the spaces OCR puts between characters and the 人民币 / 大写 prefix', () => {
      expect(parseChineseAmount('人民币（大写）： 壹 拾 贰 万 叁 仟 肆 佰 元 整')).toEqual({ value: '123400.00', text: '壹拾贰万叁仟肆佰元整', notes: [] });
      expect(parseChineseAmount('美元贰拾壹万壹仟伍佰元整')).toEqual({ value: '211500.00', text: '贰拾壹万壹仟伍佰元整', notes: [] });
    });
  });

  describe('when characters are the ones OCR confuses with capital numerals', () => {
    it.each([
      ['壹什贰元整', '12.00', '什 read as 拾'],
      ['叁百元整', '300.00', '百 read as 佰'],
      ['伍千元整', '5000.00', '千 read as 仟'],
      ['壹佰〇伍元整', '105.00', '〇 read as 零'],
    ])('reads %s as %s and notes "%s"', (text, value, note) => {
      expect(parseChineseAmount(text)).toMatchObject({ value, notes: [note] });
    });

    it('hands back the numerals with the confusions repaired', () => {
      expect(parseChineseAmount('壹什贰万叁千肆百元整').text).toBe('壹拾贰万叁仟肆佰元整');
    });

    it('tries 什 as 拾 and as 仟 and keeps the reading the grammar allows', () => {
      expect(parseChineseAmount('叁万玖什肆佰元整')).toMatchObject({ value: '39400.00', text: '叁万玖仟肆佰元整', notes: ['什 read as 仟'] });
      expect(parseChineseAmount('伍什元整')).toMatchObject({ value: '50.00', notes: ['什 read as 拾', 'also readable as 5000.00'] });
    });

    it('reads 参 as 叁 and 任 as 仟, as tesseract does with chi_sim', () => {
      expect(parseChineseAmount('参万玖任肆佰元整')).toMatchObject({ value: '39400.00', text: '叁万玖仟肆佰元整', notes: ['参 read as 叁', '任 read as 仟'] });
    });

    it('reads the characters tesseract printed for capital numerals on the contract corpus', () => {
      expect(parseChineseAmount('歪拾壹万叁仟陆佰元整')).toMatchObject({ value: '213600.00', text: '贰拾壹万叁仟陆佰元整' });
      expect(parseChineseAmount('婷拾陆万陆仟伍佰元整')).toMatchObject({ value: '166500.00', text: '壹拾陆万陆仟伍佰元整' });
      expect(parseChineseAmount('染拙柴万叁仟元整')).toMatchObject({ value: '773000.00', text: '柒拾柒万叁仟元整' });
    });

    it('refuses a text with more confused characters than numerals can explain', () => {
      expect(refusal('十百千十百千元').message).toContain('too many characters');
    });

    it('keeps the writer\'s 圆 and 正 in the text it hands back', () => {
      expect(parseChineseAmount('伍万圆正').text).toBe('伍万圆正');
    });

    it('takes 圆 as 元 without a note, since the rules allow both', () => {
      expect(parseChineseAmount('伍万圆整')).toMatchObject({ value: '50000.00', notes: [] });
    });
  });

  describe('when the writing departs from the rules but has one meaning', () => {
    it.each([
      ['壹仟伍拾元整', '1050.00', '零 missing before 伍拾'],
      ['壹万伍佰元整', '10500.00', '零 missing before 伍佰'],
      ['叁佰贰拾伍元肆分', '325.04', '零 missing before the 分 (no 角)'],
      ['伍万元', '50000.00', '整 missing after 元'],
      ['伍元叁角贰分整', '5.32', '整 after 分'],
      ['伍元零角贰分', '5.02', '零角 written for 零'],
    ])('reads %s as %s and notes "%s"', (text, value, note) => {
      expect(parseChineseAmount(text)).toMatchObject({ value, notes: [note] });
    });
  });

  describe('when the text is not an amount', () => {
    it.each([
      ['壹佰伍元整', '伍 after 佰 needs 零'],
      ['壹万伍元整', '伍 after 万 needs 零'],
      ['壹贰元整', '贰 cannot follow 壹'],
      ['佰元整', '佰 has no digit before it'],
      ['壹佰贰仟元整', '仟 after 佰: units must fall'],
      ['壹拾拾元整', '拾 has no digit before it'],
      ['壹万贰万元整', '万 appears twice'],
      ['伍元伍元', '元 appears twice'],
      ['零伍元整', 'the amount starts with 零'],
      ['壹佰零零伍元整', '零 twice in a row'],
      ['壹佰零伍拾元整', '零 before 伍拾 where no digit is zero'],
      ['壹佰零元整', '零 at the end of a group'],
      ['元整', 'no numerals before 元'],
      ['伍角零叁分', '零 between 角 and 分'],
      ['伍元整伍角', 'after 元 is not 角 and 分'],
      ['伍万', 'the amount has no unit'],
      ['壹拾贰万叁仟肆佰美元整', '"美" is not a capital numeral or unit'],
      ['123400', '"1" is not a capital numeral or unit'],
      ['', 'no numerals'],
    ])('refuses %s: %s', (text, reason) => {
      const err = refusal(text);
      expect(err.code).toBe('ocr.amount_in_words_invalid');
      expect(err.category).toBe('user');
      expect(err.message).toContain(reason);
      expect(err.details).toEqual([expect.objectContaining({ path: 'amountInWords' })]);
    });
  });
});
