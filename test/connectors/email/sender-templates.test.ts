import { emailMappingSchema, templateFor } from '../../../connectors/email/email.mapping';
import { file, mixed, SARAH, text } from '../../fixtures/email/fixture-mails';
import { mail, onlyDraft, parse } from './test-mail';

const ACME = { name: '王芳', email: 'wangfang@acme.cn' };
/** ACME's own headers: nothing a generic reader would know as SKU, quantity or price. */
const ACME_CSV = Buffer.from('Teil,Stück,EP\r\nPUMP-200,2,12800\r\n');
const acmeMapping = (template: Record<string, unknown> = {}): Record<string, unknown> => ({
  templates: { 'acme.cn': { customerName: 'ACME 建设', columns: { sku: 'Teil', quantity: 'Stück', unitPrice: 'EP' }, ...template } },
});

describe('email sender templates', () => {
  describe('when a sender domain has a template', () => {
    it('reads the attached sheet with its columns and names the customer as it says', async () => {
      const draft = onlyDraft(await parse(mail(mixed('b', text('订单号：A-1\n'), file('a.csv', 'text/csv', ACME_CSV)), { from: ACME }), acmeMapping()));
      expect(draft).toMatchObject({ poNumber: 'A-1', customer: { name: 'ACME 建设', contact: ACME }, lines: [{ sku: 'PUMP-200', quantity: '2', unitPrice: '12800' }] });
    });

    it('applies the template of the ORIGINAL sender of a forwarded mail, not the salesperson\'s', async () => {
      const body = `FYI\n\n---------- Forwarded message ---------\nFrom: 王芳 <wangfang@acme.cn>\nDate: Mon, Nov 23, 2026 at 9:12 AM\nSubject: PO\nTo: ${SARAH.email}\n\n订单号：A-2\n`;
      const draft = onlyDraft(await parse(mail(mixed('b', text(body), file('a.csv', 'text/csv', ACME_CSV)), { from: SARAH }), acmeMapping()));
      expect(draft).toMatchObject({ customer: { name: 'ACME 建设' }, owner: SARAH, lines: [{ sku: 'PUMP-200' }] });
    });

    it('applies its columns to a table in the body too', async () => {
      const draft = onlyDraft(await parse(mail(text('Teil | Stück | EP\nPUMP-200 | 3 | 12800\n'), { from: ACME }), acmeMapping()));
      expect(draft.lines).toMatchObject([{ sku: 'PUMP-200', quantity: '3', unitPrice: '12800' }]);
    });

    it('is found for a sub-domain through its parent domain', () => {
      const mapping = emailMappingSchema.parse(acmeMapping());
      expect(templateFor(mapping, 'buyer@mail.acme.cn').customerName).toBe('ACME 建设');
      expect(templateFor(mapping, 'buyer@notacme.cn').customerName).toBeUndefined();
    });

    it('reads the sheet once, by the spreadsheet parser alone, when it names the header row too', async () => {
      const sheet = Buffer.from('ACME order form,,\r\nTeil,Stück,EP\r\nPUMP-200,2,12800\r\n');
      const draft = onlyDraft(await parse(mail(mixed('b', text('hi'), file('a.csv', 'text/csv', sheet)), { from: ACME }), acmeMapping({ headerRow: 2 })));
      expect(draft.lines).toMatchObject([{ sku: 'PUMP-200' }]);
    });
  });

  describe('when dates are written day first', () => {
    const order = (date: string): Buffer => mail(text(`Delivery date: ${date}\nPUMP-200 x 1 @ 12800\n`), { from: ACME });

    it('reads 04/01/2027 as 4 January with a DD/MM/YYYY template', async () => {
      expect(onlyDraft(await parse(order('04/01/2027'), acmeMapping({ dateFormat: 'DD/MM/YYYY' }))).requestedDeliveryDate).toBe('2027-01-04');
    });

    it('reads 04/01/2027 as 1 April with MM/DD/YYYY', async () => {
      expect(onlyDraft(await parse(order('04/01/2027'), acmeMapping({ dateFormat: ['MM/DD/YYYY'] }))).requestedDeliveryDate).toBe('2027-04-01');
    });

    it('always reads year-first dates: 2026-12-15, 2026/12/15, 2026年12月15日', async () => {
      for (const date of ['2026-12-15', '2026/12/15', '2026年12月15日', '2026.12.15']) expect(onlyDraft(await parse(order(date), acmeMapping())).requestedDeliveryDate).toBe('2026-12-15');
    });

    it('does not guess a day-first date without a template: the order waits, naming the field', async () => {
      const result = await parse(order('15/12/2026'), acmeMapping());
      expect(result.ok).toBe(true);
      expect(result.orders[0]?.draft).toBeUndefined();
      expect(result.orders[0]?.issues).toEqual([{ path: 'body deliveryDate', message: '"15/12/2026" is not a date (YYYY-M-D, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYY年M月D号, YYYY年M月D)', code: 'email.value_invalid' }]);
    });
  });

  describe('when numbers use a decimal comma', () => {
    it('reads 1.234,50 as 1234.50 for a template with decimalComma', async () => {
      const draft = onlyDraft(await parse(mail(text('VALVE-DN50 x 2,5 @ 1.234,50\n'), { from: ACME }), acmeMapping({ decimalComma: true })));
      expect(draft.lines).toMatchObject([{ quantity: '2.5', unitPrice: '1234.50' }]);
    });

    it('refuses 1,5 without one rather than reading it as 15', async () => {
      const result = await parse(mail(text('VALVE-DN50 x 1,5 @ 460\n'), { from: ACME }), acmeMapping());
      expect(result.orders[0]?.issues).toEqual([{ path: 'body line 1 quantity', message: '"1,5" is not a quantity', code: 'email.value_invalid' }]);
    });
  });

  describe('when the currency is chosen', () => {
    const order = (lines: string): Buffer => mail(text(`${lines}PUMP-200 x 1 @ 12800\n`), { from: ACME });
    it.each([
      ['the mail names it', '币种：美元\n', { templates: { 'acme.cn': { currency: 'EUR' } } }, 'USD'],
      ['the template names it', '', { templates: { 'acme.cn': { currency: 'EUR' } } }, 'EUR'],
      ['only the mapping does', '', { defaultCurrency: 'HKD' }, 'HKD'],
      ['nothing does', '', {}, 'CNY'],
    ])('uses %s', async (_who, lines, mapping, currency) => {
      expect(onlyDraft(await parse(order(lines), mapping)).currency).toBe(currency);
    });
  });

  describe('when the mapping is wrong', () => {
    it('refuses it as email.mapping_invalid, naming each bad field', async () => {
      const result = await parse(mail(text('x')), { templates: { 'ACME.cn': {}, 'acme.cn': { currency: 'yuan', colums: {} } } });
      expect(result).toMatchObject({ ok: false, code: 'email.mapping_invalid' });
      expect(result.issues.map((i) => i.path).sort()).toEqual(['mapping.templates.ACME.cn', 'mapping.templates.acme.cn', 'mapping.templates.acme.cn.currency']);
    });
  });
});
