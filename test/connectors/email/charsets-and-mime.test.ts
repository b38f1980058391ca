import iconv from 'iconv-lite';
import { file, mixed, text } from '../../fixtures/email/fixture-mails';
import { headerText, type TransferEncoding } from '../../fixtures/email/mime-writer';
import { mail, onlyDraft, parse } from './test-mail';

const ORDER = '订单号：SJ-2026-0456\n交货日期：2026年12月18日\n收货地址：上海市浦东新区张江路88号\n型号：PUMP-200 数量：2台 单价：12800元\n\n陈明\n上海建工机电有限公司\n';
const TRADITIONAL = '訂單號：TP-7781\n交貨日期：2026年12月15日\n收貨地址：台北市內湖區瑞光路100號\n型號：PUMP-200 數量：2 單價：380000\n\n陳大文\n台北精密科技股份有限公司\n';

describe('email charsets and MIME structure', () => {
  describe('when the same order comes in each Chinese charset and transfer encoding', () => {
    const cases: [string, TransferEncoding][] = [
      ['UTF-8', 'quoted-printable'],
      ['UTF-8', 'base64'],
      ['UTF-8', '8bit'],
      ['GBK', 'base64'],
      ['GBK', '8bit'],
      ['GB2312', 'quoted-printable'],
      ['GB18030', 'base64'],
    ];
    it.each(cases)('%s with %s gives the same order', async (charset, encoding) => {
      const draft = onlyDraft(await parse(mail(text(ORDER, charset, encoding), { subject: '采购订单', headerCharset: charset })));
      expect(draft).toMatchObject({
        poNumber: 'SJ-2026-0456',
        customer: { name: '上海建工机电有限公司', contact: { name: '陈经理', email: 'chen@shjg.com.cn' } },
        requestedDeliveryDate: '2026-12-18',
        shipTo: { street: '上海市浦东新区张江路88号' },
        lines: [{ sku: 'PUMP-200', quantity: '2', uom: '台', unitPrice: '12800' }],
      });
    });

    it.each([['Big5'], ['UTF-8']])('reads traditional Chinese in %s', async (charset) => {
      const draft = onlyDraft(await parse(mail(text(TRADITIONAL, charset, 'base64'), { from: { name: '陳大文', email: 'chen@tpe-tech.com.tw' }, headerCharset: charset })));
      expect(draft).toMatchObject({ poNumber: 'TP-7781', customer: { name: '台北精密科技股份有限公司', contact: { name: '陳大文' } }, requestedDeliveryDate: '2026-12-15', lines: [{ sku: 'PUMP-200', unitPrice: '380000' }] });
    });
  });

  describe('when headers carry RFC 2047 encoded words', () => {
    it('decodes a GBK sender name and reads the PO from a GBK subject when the body names none', async () => {
      const eml = mail(text('型号：PUMP-200 数量：1 单价：12800\n'), { from: { name: '张工', email: 'zhang@somewhere.cn' }, subject: '订单号：HD-2026-130', headerCharset: 'GBK' });
      expect(eml.toString('latin1')).toContain(`Subject: ${headerText('订单号：HD-2026-130', 'GBK')}`);
      expect(onlyDraft(await parse(eml))).toMatchObject({ poNumber: 'HD-2026-130', customer: { name: '张工', contact: { name: '张工' } } });
    });
  });

  describe('when a charset cannot be decoded', () => {
    it('quarantines a body in an unknown charset as email.unknown_charset, naming it', async () => {
      const eml = mail({ kind: 'text', subtype: 'plain', text: ORDER, charset: 'GB2312', declared: 'x-mac-chinesesimp', encoding: '8bit' });
      expect(await parse(eml)).toEqual({
        ok: false,
        code: 'email.unknown_charset',
        issues: [{ path: 'message', message: 'charset "x-mac-chinesesimp" cannot be decoded', code: 'email.unknown_charset' }],
        orders: [],
      });
    });

    it('quarantines an encoded-word header in an unknown charset', async () => {
      const eml = Buffer.from(mail(text(ORDER)).toString('latin1').replace(/^Subject: .*$/m, 'Subject: =?unknown-8bit?B?tqm1pQ==?='), 'latin1');
      expect(await parse(eml)).toMatchObject({ ok: false, code: 'email.unknown_charset', issues: [{ path: 'headers' }] });
    });

    it('refuses UTF-7, which mailparser will not decode', async () => {
      const eml = mail({ kind: 'text', subtype: 'plain', text: ORDER, charset: 'UTF-8', declared: 'UTF-7', encoding: 'base64' });
      expect((await parse(eml)).code).toBe('email.unknown_charset');
    });

    it('lets an attached sheet declare any charset: the sheet reader finds its own', async () => {
      const csv = iconv.encode('型号,数量,单价\r\nPUMP-200,2,12800\r\n', 'gbk');
      const eml = mail(mixed('b1', text('订单号：SJ-1\n'), { kind: 'file', filename: 'order.csv', contentType: 'text/csv; charset="x-unknown"', content: csv }));
      expect(onlyDraft(await parse(eml)).lines).toMatchObject([{ sku: 'PUMP-200', quantity: '2' }]);
    });
  });

  describe('when the MIME structure is broken', () => {
    const valid = mail(mixed('----=_Part_1', text('订单号：SJ-1\n'), file('order.csv', 'text/csv', Buffer.from('型号,数量,单价\r\nPUMP-200,2,12800\r\n')))).toString('latin1');
    it.each([
      ['a multipart without a boundary parameter', valid.replace(/;\r\n\tboundary="----=_Part_1"/, ''), 'multipart/mixed without a boundary parameter'],
      ['a boundary the body never uses', valid.replace('boundary="----=_Part_1"', 'boundary="----=_Part_2"'), 'multipart/mixed body has no part delimited by its boundary "----=_Part_2"'],
      ['a mail cut off inside an attachment', valid.slice(0, valid.lastIndexOf('base64') + 20), 'multipart/mixed body ends without its closing boundary "------=_Part_1--"; the mail is cut off'],
      ['bytes that do not start with a header', `\r\n${valid}`, 'the mail does not start with a header field'],
    ])('quarantines %s as email.malformed, saying what is wrong', async (_what, eml, message) => {
      const result = await parse(Buffer.from(eml, 'latin1'));
      expect(result).toMatchObject({ ok: false, code: 'email.malformed', orders: [] });
      expect(result.issues[0]?.message).toBe(message);
    });

    it('reads a multipart nested three levels deep whose parts end with bare LF', async () => {
      const nested = mixed('outer', { kind: 'multipart', subtype: 'related', boundary: 'middle', parts: [{ kind: 'multipart', subtype: 'alternative', boundary: 'inner', parts: [text('订单号：SJ-3\n型号：PUMP-200 数量：1 单价：12800\n')] }] });
      const eml = Buffer.from(mail(nested).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      expect(onlyDraft(await parse(eml))).toMatchObject({ poNumber: 'SJ-3', lines: [{ sku: 'PUMP-200' }] });
    });
  });

  describe('when the mail is larger than the mapping allows', () => {
    it('refuses it as document.too_large before parsing it', async () => {
      const result = await parse(mail(text(ORDER)), { maxBytes: 200 });
      expect(result).toMatchObject({ ok: false, code: 'document.too_large', orders: [] });
    });
  });
});
