import { readCurrency, readDate, readFigure, readQuantity } from '../../../connectors/ocr/contract-values';

describe('values printed in contracts', () => {
  describe('figures', () => {
    it.each([
      ['12,160.00', '12160.00'],
      ['¥364,000.00', '364000.00'],
      ['￥３６４，０００．００', '364000.00'],
      ['RMB 61,400.00', '61400.00'],
      ['USD 17,390.00', '17390.00'],
      ['1,281,000.00元', '1281000.00'],
      ['0.86', '0.86'],
      ['450', '450'],
    ])('reads %s as %s without repair', (text, value) => {
      expect(readFigure(text)).toEqual({ value, notes: [] });
    });

    it('repairs letters OCR reads for digits and says which', () => {
      expect(readFigure('39,4OO.OO')).toEqual({ value: '39400.00', notes: ['O read as 0', 'O read as 0', 'O read as 0', 'O read as 0'] });
      expect(readFigure('l2,160.00')).toEqual({ value: '12160.00', notes: ['l read as 1'] });
    });

    it('reads a decimal point OCR turned into a comma when the grouping leaves no other meaning', () => {
      expect(readFigure('12.160,00')).toEqual({ value: '12160.00', notes: ['separators in "12.160,00" read as thousands and decimal point'] });
    });

    it.each([['12,16.00'], ['1,2160.00'], ['abc'], ['Oakland'], ['']])('refuses %s', (text) => {
      expect(readFigure(text)).toBeUndefined();
    });

    it('reads a quantity with its unit after it', () => {
      expect(readQuantity('10台')).toEqual({ value: '10', notes: [], uom: '台' });
      expect(readQuantity('45.5')).toEqual({ value: '45.5', notes: [] });
      expect(readQuantity('2 pcs')).toEqual({ value: '2', notes: [], uom: 'pcs' });
    });
  });

  describe('dates', () => {
    it.each([
      ['2026年5月20日前', '2026-05-20'],
      ['2026 年 12 月 15 日', '2026-12-15'],
      ['2026-12-15', '2026-12-15'],
      ['2026/12/15', '2026-12-15'],
      ['2026.12.15', '2026-12-15'],
      ['15 Dec 2026', '2026-12-15'],
      ['1 December 2026', '2026-12-01'],
      ['June 30, 2026', '2026-06-30'],
      ['Sept. 3, 2026', '2026-09-03'],
      ['二〇二六年十二月十五日', '2026-12-15'],
      ['二〇二六年三月一日', '2026-03-01'],
    ])('reads %s as %s', (text, value) => {
      expect(readDate(text)?.value).toBe(value);
    });

    it('repairs an O read for a zero', () => {
      expect(readDate('2O26年5月20日')).toEqual({ value: '2026-05-20', notes: ['O read as 0'] });
    });

    it.each([['2026年2月30日'], ['15/12/2026'], ['合同签订后30天内'], ['2026-13-01']])('finds no day in %s', (text) => {
      expect(readDate(text)).toBeUndefined();
    });
  });

  describe('currencies', () => {
    it.each([
      ['人民币', 'CNY'],
      ['¥', 'CNY'],
      ['（元）', 'CNY'],
      ['RMB', 'CNY'],
      ['美元', 'USD'],
      ['(USD)', 'USD'],
      ['US$', 'USD'],
      ['EUR', 'EUR'],
      ['港币', 'HKD'],
    ])('reads %s as %s', (text, code) => {
      expect(readCurrency(text)).toBe(code);
    });

    it('reads 美元 as dollars although it ends in 元', () => {
      expect(readCurrency('总计：美元')).toBe('USD');
    });

    it('finds no currency in plain words', () => {
      expect(readCurrency('Total amount')).toBeUndefined();
    });
  });
});
