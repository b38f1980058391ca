import type { FormatParser } from '../../../connectors/connector';
import { createEmailOrderParser } from '../../../connectors/email/email-order.parser';
import { spreadsheetOrderParser } from '../../../connectors/spreadsheet/spreadsheet-order.parser';
import { encryptedWorkbook, file, html, mixed, phonePhoto, SARAH, text } from '../../fixtures/email/fixture-mails';
import { fixtureMapping } from '../../fixtures/email/generate';
import { mail, onlyDraft, parse } from './test-mail';

const SHEET = Buffer.from('型号,数量,单价\r\nPUMP-200,2,12800\r\n');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(80 * 1024, 7)]);
const forwardedBy = (body: string): string => `FYI\n\n-----Original Message-----\nFrom: 陈经理 [mailto:chen@shjg.com.cn]\nSent: Friday, November 20, 2026 9:00 AM\nTo: Sarah Chen\nSubject: PO\n\n${body}`;

describe('orders in email attachments', () => {
  describe('when the order is a scan or a PDF', () => {
    // mailparser names the type of an octet-stream attachment from its file name.
    it.each([
      ['a phone photo', 'IMG_0001.jpg', 'image/jpeg', phonePhoto, 'image/jpeg'],
      ['a PDF', 'PO-1.pdf', 'application/pdf', PDF, 'application/pdf'],
      ['a PDF sent as octet-stream', 'PO-2.PDF', 'application/octet-stream', PDF, 'application/pdf'],
    ])('hands %s off to be read by OCR on its own, and takes no order from the mail itself', async (_what, name, type, content, handedAs) => {
      const result = await parse(mail(mixed('m', text('订单见附件'), file(name, type, content))));
      expect(result).toMatchObject({ ok: true, issues: [], orders: [], handOffs: [{ n: 1, format: 'contract-scan', fileName: name, contentType: handedAs, parentExternalId: '<test@order-hub.test>' }] });
      expect(result.handOffs?.[0]?.body.equals(content)).toBe(true);
    });

    it('hands the scan off even when the text has some order fields: the scan is the order, the text its cover note', async () => {
      const result = await parse(mail(mixed('m', text('订单号：P-1\n型号：PUMP-200 数量：1 单价：12800\n'), file('po.pdf', 'application/pdf', PDF))));
      expect(result.orders).toEqual([]);
      expect(result.handOffs?.map((h) => h.fileName)).toEqual(['po.pdf']);
    });

    it('names the mail on each part and gives it to the salesperson who forwarded the mail', async () => {
      const result = await parse(mail(mixed('m', text(forwardedBy('合同扫描件见附件')), file('合同.png', 'image/png', PNG), file('page2.png', 'image/png', PNG)), { from: SARAH, subject: 'Fwd: 合同' }));
      expect(result.handOffs?.map(({ body: _body, ...part }) => part)).toEqual([
        { n: 1, format: 'contract-scan', fileName: '合同.png', contentType: 'image/png', parentExternalId: '<test@order-hub.test>', meta: { mail: { messageId: '<test@order-hub.test>', from: SARAH.email, subject: 'Fwd: 合同' } }, owner: SARAH },
        { n: 2, format: 'contract-scan', fileName: 'page2.png', contentType: 'image/png', parentExternalId: '<test@order-hub.test>', meta: { mail: { messageId: '<test@order-hub.test>', from: SARAH.email, subject: 'Fwd: 合同' } }, owner: SARAH },
      ]);
    });

    it('ignores a small inline signature logo but hands off a large inline photo', async () => {
      const logo = { kind: 'file' as const, filename: 'logo.png', contentType: 'image/png', content: Buffer.alloc(2048, 1), inlineId: 'logo@x' };
      const photo = { ...logo, filename: 'photo.jpg', contentType: 'image/jpeg', content: phonePhoto, inlineId: 'photo@x' };
      const body = (image: typeof logo): Buffer => mail({ kind: 'multipart', subtype: 'related', boundary: 'r', parts: [html('<p>型号：PUMP-200 数量：1 单价：12800</p><img src="cid:x">'), image] });
      const withLogo = await parse(body(logo));
      expect(onlyDraft(withLogo).lines).toHaveLength(1);
      expect(withLogo.handOffs).toBeUndefined();
      expect((await parse(body(photo))).handOffs?.map((h) => h.fileName)).toEqual(['photo.jpg']);
    });

    it('takes the order from a sheet beside a PDF drawing, and hands the PDF off as well', async () => {
      const result = await parse(mail(mixed('m', text('见附件'), file('order.csv', 'text/csv', SHEET), file('drawing.pdf', 'application/pdf', PDF))));
      expect(onlyDraft(result).lines).toHaveLength(1);
      expect(result.issues).toEqual([]);
      expect(result.handOffs?.map((h) => ({ n: h.n, fileName: h.fileName }))).toEqual([{ n: 2, fileName: 'drawing.pdf' }]);
    });

    it('hands nothing off when another attachment fails, so the mail is kept whole for a replay', async () => {
      const result = await parse(mail(mixed('m', text('见附件'), file('scan.pdf', 'application/pdf', PDF), file('b.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', encryptedWorkbook))));
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.unreadable' });
      expect(result.handOffs).toBeUndefined();
    });
  });

  describe('when an order sheet cannot be read', () => {
    it('quarantines a password-protected workbook as spreadsheet.unreadable, naming the file', async () => {
      const result = await parse(mail(mixed('m', text('订单已加密'), file('订单.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', encryptedWorkbook, { rfc2231: true }))));
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.unreadable', issues: [{ path: 'attachment "订单.xlsx"', code: 'spreadsheet.unreadable' }], orders: [] });
    });

    it('quarantines an old .xls the same way, rather than ignoring it', async () => {
      const result = await parse(mail(mixed('m', text('订单见附件'), file('order.xls', 'application/vnd.ms-excel', encryptedWorkbook))));
      expect(result.code).toBe('spreadsheet.unreadable');
    });

    it('takes nothing from the mail when one of two sheets fails, so no order is taken by halves', async () => {
      const result = await parse(mail(mixed('m', text('见附件'), file('a.csv', 'text/csv', SHEET), file('b.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', encryptedWorkbook))));
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.unreadable', orders: [] });
    });

    it('says so when a sheet has no SKU and quantity columns (spreadsheet.column_missing)', async () => {
      const result = await parse(mail(mixed('m', text('见附件'), file('list.csv', 'text/csv', Buffer.from('Name,Phone\r\nWang,123\r\n')))));
      expect(result).toMatchObject({ ok: false, code: 'spreadsheet.column_missing', issues: [{ path: 'attachment "list.csv" rows 1-10' }] });
    });
  });

  describe('when the attachment is an EDI or XML document', () => {
    it('hands it to the parser of the list that claims it, with the sender template\'s mapping for that format', async () => {
      const seen: { body: string; mapping: unknown }[] = [];
      const edi: FormatParser = {
        format: 'test-edi',
        sniff: (body) => body.toString('latin1').startsWith('EDI*'),
        parse: async (body, context) => {
          seen.push({ body: body.toString('latin1'), mapping: context.mapping });
          return { ok: true, issues: [], orders: [{ ref: 'doc 1', issues: [], draft: { customer: { name: 'Shanghai Jiangong' }, currency: 'CNY', lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '1', unitPrice: '12800' }] } }] };
        },
      };
      const parser = createEmailOrderParser([edi, spreadsheetOrderParser]);
      const mapping = { templates: { 'shjg.com.cn': { documents: { 'test-edi': { partner: 'SJ' } } } } };
      const result = await parser.parse(mail(mixed('m', text(forwardedBy('EDI attached')), file('po.dat', 'application/octet-stream', Buffer.from('EDI*PO*1'))), { from: SARAH }), { mapping });
      expect(seen).toEqual([{ body: 'EDI*PO*1', mapping: { partner: 'SJ' } }]);
      expect(result.orders).toEqual([
        {
          ref: 'attachment "po.dat" doc 1',
          issues: [],
          draft: { customer: { name: 'Shanghai Jiangong' }, owner: SARAH, currency: 'CNY', lines: [{ lineNo: 1, sku: 'PUMP-200', quantity: '1', uom: 'EA', unitPrice: '12800' }] },
        },
      ]);
    });

    it('passes on the document parser\'s refusal with its code', async () => {
      const broken = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><x/>';
      const xml: FormatParser = { format: 'test-xml', sniff: (body) => body.toString().startsWith('<?xml'), parse: async () => ({ ok: false, code: 'xml.doctype_forbidden', issues: [{ path: '/', message: 'DOCTYPE is not allowed' }], orders: [] }) };
      const result = await createEmailOrderParser([xml]).parse(mail(mixed('m', text('PO attached'), file('po.xml', 'application/xml', Buffer.from(broken)))), { mapping: fixtureMapping() });
      expect(result).toEqual({ ok: false, code: 'xml.doctype_forbidden', issues: [{ path: 'attachment "po.xml" /', message: 'DOCTYPE is not allowed' }], orders: [] });
    });
  });

  describe('when an attachment is of no format the hub reads', () => {
    it('names it in the no-order reason', async () => {
      const result = await parse(mail(mixed('m', text('见附件'), file('spec.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', Buffer.from('PK\x03\x04 doc')))));
      expect(result).toMatchObject({ ok: false, code: 'email.no_order' });
      expect(result.issues[0]?.message).toContain('spec.docx');
    });
  });
});
