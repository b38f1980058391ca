import { alternative, file, html, mixed, text } from '../../fixtures/email/fixture-mails';
import { mail, onlyDraft, parse } from './test-mail';

const LINES = [
  { lineNo: 1, sku: 'PUMP-200', quantity: '2', unitPrice: '12800' },
  { lineNo: 2, sku: 'VALVE-DN50', quantity: '20', unitPrice: '460.50' },
];

describe('orders written in the mail body', () => {
  describe('when the body holds an HTML table', () => {
    it('reads the order table inside a layout table, skipping the total row and hidden style text', async () => {
      const body = `<style>td{color:red}</style><table><tr><td><table border="1">
        <tr><th>物料编码</th><th>品名</th><th>数量</th><th>单位</th><th>单价(元)</th><th>金额</th></tr>
        <tr><td>PUMP-200</td><td>离心泵</td><td>2</td><td>台</td><td>12,800</td><td>25,600</td></tr>
        <tr><td>VALVE-DN50</td><td>闸阀<br>DN50</td><td>20</td><td>个</td><td>460.50</td><td>9,210</td></tr>
        <tr><td colspan="5">合计 Total</td><td>34,810</td></tr></table></td></tr></table>`;
      expect(onlyDraft(await parse(mail(html(body)))).lines).toEqual([
        { ...LINES[0], description: '离心泵', uom: '台' },
        { ...LINES[1], description: '闸阀 DN50', uom: '个' },
      ]);
    });

    it('reads English headers (SKU, Qty, Unit Price, UOM, Description)', async () => {
      const body = '<table><tr><td>SKU</td><td>Description</td><td>Qty</td><td>UOM</td><td>Unit Price</td></tr><tr><td>PUMP-200</td><td>Pump</td><td>2</td><td>EA</td><td>US$12,800.00</td></tr></table>';
      expect(onlyDraft(await parse(mail(html(body)))).lines).toEqual([{ lineNo: 1, sku: 'PUMP-200', description: 'Pump', quantity: '2', uom: 'EA', unitPrice: '12800.00' }]);
    });

    it('prefers the HTML table to the text alternative of the same mail', async () => {
      const table = '<table><tr><td>型号</td><td>数量</td><td>单价</td></tr><tr><td>PUMP-200</td><td>2</td><td>12800</td></tr></table>';
      const eml = mail(alternative('alt', text('型号：OTHER-1 数量：9 单价：1\n'), html(table)));
      expect(onlyDraft(await parse(eml)).lines).toMatchObject([{ sku: 'PUMP-200', quantity: '2' }]);
    });
  });

  describe('when the body holds a plain-text table', () => {
    it.each([
      ['pipes', '| 型号 | 数量 | 单价 |\n|---|---|---|\n| PUMP-200 | 2 | 12800 |\n| VALVE-DN50 | 20 | 460.50 |'],
      ['tabs, pasted from Excel', '型号\t数量\t单价\nPUMP-200\t2\t12800\nVALVE-DN50\t20\t460.50'],
      ['runs of spaces', '型号          数量    单价\nPUMP-200      2       12800\nVALVE-DN50    20      460.50'],
      ['full-width spaces', '型号\u3000数量\u3000单价\nPUMP-200\u30002\u300012800\nVALVE-DN50\u300020\u3000460.50'],
    ])('reads one separated by %s', async (_how, table) => {
      expect(onlyDraft(await parse(mail(text(`订单号：T-1\n\n${table}\n\n谢谢\n`)))).lines).toMatchObject(LINES);
    });
  });

  describe('when the body holds labelled fields', () => {
    it('reads English labels with half-width colons', async () => {
      const body = 'PO number: 4500012345\nDelivery date: 2026-12-15\nShip to: Pier 46, Seattle\nPayment terms: Net 30\nCurrency: USD\nRemarks: deliver before noon\n\nPUMP-200 × 2 @ 12,800\nVALVE-DN50 x 20 @ 460.50\n';
      expect(onlyDraft(await parse(mail(text(body))))).toMatchObject({
        poNumber: '4500012345',
        requestedDeliveryDate: '2026-12-15',
        shipTo: { street: 'Pier 46, Seattle' },
        paymentTerms: 'Net 30',
        currency: 'USD',
        notes: 'deliver before noon',
        lines: [{ sku: 'PUMP-200', quantity: '2', unitPrice: '12800' }, { sku: 'VALVE-DN50', quantity: '20', unitPrice: '460.50' }],
      });
    });

    it('reads Chinese labels with full-width colons, several on one line, and 合同号 as the PO', async () => {
      const body = '合同号：HT-88，交期：2026年12月15日前送达。\n送货地址：苏州工业园区星湖街328号\n收货人：王经理\n付款条件：货到付款\n币种：人民币\n';
      expect(onlyDraft(await parse(mail(text(`${body}型号：PUMP-200 数量：2 单价：12800\n`))))).toMatchObject({
        poNumber: 'HT-88',
        requestedDeliveryDate: '2026-12-15',
        shipTo: { name: '王经理', street: '苏州工业园区星湖街328号' },
        paymentTerms: '货到付款',
        currency: 'CNY',
      });
    });

    it('reads an item spread over lines, and a value on the line under its label', async () => {
      const body = '订单号：\nXY-1\n\n型号：PUMP-200\n数量：2台\n单价：¥12,800.00/台\n\n型号：VALVE-DN50\n数量：20个\n单价：460.5元\n';
      expect(onlyDraft(await parse(mail(text(body))))).toMatchObject({
        poNumber: 'XY-1',
        lines: [
          { sku: 'PUMP-200', quantity: '2', uom: '台', unitPrice: '12800.00' },
          { sku: 'VALVE-DN50', quantity: '20', uom: '个', unitPrice: '460.5' },
        ],
      });
    });

    it('does not read a label inside a sentence, nor a total as a price', async () => {
      const body = '请按以下交货日期：尽快安排。\n型号：PUMP-200 数量：2 单价：12800\n总价：25600\nTotal price: 25600\n';
      const draft = onlyDraft(await parse(mail(text(body))));
      expect(draft.requestedDeliveryDate).toBeUndefined();
      expect(draft.lines).toEqual([{ lineNo: 1, sku: 'PUMP-200', quantity: '2', uom: 'EA', unitPrice: '12800' }]);
    });

    it('takes the customer name from a labelled field over the signature and the display name', async () => {
      const draft = onlyDraft(await parse(mail(text('客户名称：上海建工集团\n电话：021-5555\nPUMP-200 x 1 @ 12800\n\n陈明\n上海建工机电有限公司\n'))));
      expect(draft.customer).toEqual({ name: '上海建工集团', contact: { name: '陈经理', email: 'chen@shjg.com.cn', phone: '021-5555' } });
    });

    it('rejects the order, naming the line and field, when a value cannot be read', async () => {
      const result = await parse(mail(text('型号：PUMP-200 数量：两台 单价：12800\n')));
      expect(result.ok).toBe(true);
      expect(result.orders).toEqual([{ ref: 'body', issues: [{ path: 'body line 1 quantity', message: '"两台" is not a quantity', code: 'email.value_invalid' }] }]);
    });

    it('rejects a line without a price rather than inventing one', async () => {
      const result = await parse(mail(text('型号：PUMP-200 数量：2\n')));
      expect(result.orders[0]?.issues).toEqual([{ path: 'body line 1 unitPrice', message: 'required', code: 'email.value_invalid' }]);
    });
  });

  describe('when a mail has both an order sheet and an order in its text', () => {
    it('takes the sheet, and fills what it leaves open (PO, date, address) from the text', async () => {
      const sheet = Buffer.from('型号,数量,单价\r\nPUMP-200,2,12800\r\n');
      const eml = mail(mixed('m', text('订单号：S-1\n交货日期：2026-12-15\n收货地址：烟台\n型号：OTHER-1 数量：9 单价：1\n'), file('order.csv', 'text/csv', sheet)));
      expect(onlyDraft(await parse(eml))).toMatchObject({ poNumber: 'S-1', requestedDeliveryDate: '2026-12-15', shipTo: { street: '烟台' }, lines: [{ sku: 'PUMP-200' }] });
    });
  });

  describe('when the mail names no sender', () => {
    it('quarantines it as email.no_sender: an order needs a customer', async () => {
      const eml = Buffer.from(mail(text('型号：PUMP-200 数量：1 单价：12800\n')).toString('latin1').replace(/^From: .*\r\n/m, ''), 'latin1');
      expect(await parse(eml)).toMatchObject({ ok: false, code: 'email.no_sender', orders: [] });
    });
  });

  describe('when no order is written anywhere', () => {
    it('quarantines the mail as email.no_order', async () => {
      expect(await parse(mail(text('李经理好，报价收到，谢谢！\n')))).toEqual({
        ok: false,
        code: 'email.no_order',
        issues: [{ path: '', message: 'no order sheet or document attached, and no order table or item lines in the text', code: 'email.no_order' }],
        orders: [],
      });
    });
  });
});
