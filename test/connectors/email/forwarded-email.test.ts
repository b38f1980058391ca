import { partyOf, unwrapForwards } from '../../../connectors/email/forwarded-email';

const SALES = { name: '李伟', email: 'li.wei@ourco.cn' };
const ORDER = '型号：PUMP-200 数量：2 单价：12800';

describe('forwarded-email', () => {
  describe('when a salesperson forwards a customer mail', () => {
    it.each([
      ['Gmail, English', 'gmail', `Please process.\n\n---------- Forwarded message ---------\nFrom: Dana Ortiz <dana@harbor.example>\nDate: Mon, Nov 23, 2026 at 9:12 AM\nSubject: PO 1\nTo: Sarah Chen <sarah.chen@ourco.cn>\n\n\n${ORDER}\n`],
      ['Gmail, Chinese', 'gmail', `请处理\n\n---------- 转发的邮件 ---------\n发件人： Dana Ortiz <dana@harbor.example>\n日期：2026年11月19日周四 下午3:20\n主题：订单\n收件人： <li.wei@ourco.cn>\n\n${ORDER}\n`],
      ['Outlook, English', 'outlook', `FYI\n\n-----Original Message-----\nFrom: Dana Ortiz [mailto:dana@harbor.example] \nSent: Thursday, November 19, 2026 4:05 PM\nTo: 李伟\nSubject: PO 1\n\n${ORDER}\n`],
      ['Outlook, Chinese', 'outlook', `请处理\n\n-----原始邮件-----\n发件人: Dana Ortiz [mailto:dana@harbor.example] \n发送时间: 2026年11月18日 9:30\n收件人: 李伟\n主题: 订货\n\n${ORDER}\n`],
      ['Outlook without a marker, under a rule', 'header-block', `FYI\n________________________________\nFrom: Dana Ortiz <dana@harbor.example>\nSent: Friday, November 20, 2026 8:14 AM\nTo: 李伟 <li.wei@ourco.cn>\nSubject: PO 1\n\n${ORDER}\n`],
      ['Outlook HTML with the block on one line', 'header-block', `FYI\n\nFrom: Dana Ortiz <dana@harbor.example> Sent: Friday, November 20, 2026 8:14 AM To: 李伟 Subject: PO 1\n\n${ORDER}\n`],
      ['Foxmail / QQ Mail', 'foxmail', `转发\n\n------------------ 原始邮件 ------------------\n发件人: "Dana Ortiz"<dana@harbor.example>;\n发送时间: 2026年11月20日(星期五) 上午10:15\n收件人: "李伟"<li.wei@ourco.cn>;\n主题: 补充订单\n\n${ORDER}\n`],
      ['Apple Mail, English', 'apple', `See below\n\nBegin forwarded message:\n\nFrom: Dana Ortiz <dana@harbor.example>\nSubject: PO 1\nDate: November 20, 2026 at 10:02:11 GMT+8\nTo: 李伟 <li.wei@ourco.cn>\n\n${ORDER}\n`],
      ['Apple Mail, Chinese with full-width colons', 'apple', `见下\n\n开始转发的邮件：\n\n发件人： Dana Ortiz <dana@harbor.example>\n主题： 订单\n日期： 2026年11月20日 GMT+8 上午10:02:11\n收件人： 李伟 <li.wei@ourco.cn>\n\n${ORDER}\n`],
    ])('%s: the original sender is the customer, the forwarder the owner, the original text read first', (_client, style, body) => {
      const mail = unwrapForwards(body, SALES);
      expect(mail.blocks.map((b) => b.style)).toEqual([style]);
      expect(mail.customer).toEqual({ name: 'Dana Ortiz', email: 'dana@harbor.example' });
      expect(mail.owner).toEqual(SALES);
      expect(mail.sections[0]?.trim()).toBe(ORDER);
    });
  });

  describe('when the chain is nested', () => {
    const chain = `请处理\n\n-----Original Message-----\nFrom: 赵敏 <zhao.min@ourco.cn>\nSent: Friday, November 20, 2026 11:00 AM\nTo: 李伟\nSubject: Fwd: PO\n\n这个客户归你\n\n---------- Forwarded message ---------\nFrom: Dana Ortiz <dana@harbor.example>\nDate: Fri, Nov 20, 2026 at 9:40 AM\nSubject: PO\nTo: 赵敏\n\n${ORDER}\n`;

    it('takes the innermost sender as the customer and the mailbox owner who forwarded last as the owner', () => {
      const mail = unwrapForwards(chain, SALES);
      expect(mail.blocks.map((b) => b.from.email)).toEqual(['zhao.min@ourco.cn', 'dana@harbor.example']);
      expect(mail.customer.email).toBe('dana@harbor.example');
      expect(mail.owner).toEqual(SALES);
      expect(mail.sections[0]?.trim()).toBe(ORDER);
    });

    it('skips our own quotation at the bottom of a reply chain: the customer is the innermost sender outside our domain', () => {
      const replyChain = `Confirmed by customer\n\n-----Original Message-----\nFrom: Tom Becker [mailto:tom@bau-nord.de]\nSent: Friday, November 20, 2026 2:10 PM\nTo: 李伟\nSubject: RE: Quotation\n\nWe order: VALVE-DN50 x 40 @ 455\n\n-----Original Message-----\nFrom: 李伟 [mailto:li.wei@ourco.cn]\nSent: Thursday, November 19, 2026 9:00 AM\nTo: Tom Becker\nSubject: Quotation\n\nOur offer: VALVE-DN50 x 40 @ 455\n`;
      const mail = unwrapForwards(replyChain, SALES);
      expect(mail.customer.email).toBe('tom@bau-nord.de');
      expect(mail.sections[0]?.trim()).toBe('We order: VALVE-DN50 x 40 @ 455');
      expect(mail.sections[1]?.trim()).toBe('Our offer: VALVE-DN50 x 40 @ 455');
    });

    it('takes a sender shown by name only (as Exchange shows colleagues) for a colleague, not the customer', () => {
      const body = `FYI\n\n-----Original Message-----\nFrom: 赵敏\nSent: Friday, November 20, 2026 11:00 AM\nTo: 李伟\nSubject: Fwd\n\nsee below\n\n-----Original Message-----\nFrom: Dana Ortiz [mailto:dana@harbor.example]\nSent: Friday, November 20, 2026 9:00 AM\nTo: 赵敏\nSubject: PO\n\n${ORDER}\n`;
      expect(unwrapForwards(body, SALES).customer.email).toBe('dana@harbor.example');
    });
  });

  describe('when the mail was written directly', () => {
    it('makes the sender the customer and names no owner', () => {
      const mail = unwrapForwards(`您好\n${ORDER}\n`, { name: 'Dana Ortiz', email: 'dana@harbor.example' });
      expect(mail).toEqual({ blocks: [], customer: { name: 'Dana Ortiz', email: 'dana@harbor.example' }, sections: [`您好\n${ORDER}\n`] });
    });

    it('does not take a sentence that starts with "From:" for a header block', () => {
      expect(unwrapForwards('From: our Shanghai plant, as agreed.\nPUMP-200 x 2 @ 12800\n', SALES).blocks).toEqual([]);
    });

    it('leaves out ">"-quoted reply history, so an order quoted under a reply is not read again', () => {
      const reply = `请把交期改到12月20日。\n\nOn Mon, Nov 23, 2026 at 9:12 AM Dana Ortiz <dana@harbor.example> wrote:\n> ${ORDER}\n> 交期：2026-12-15\n`;
      expect(unwrapForwards(reply, { email: 'dana@harbor.example' }).sections).toEqual(['请把交期改到12月20日。\n\nOn Mon, Nov 23, 2026 at 9:12 AM Dana Ortiz <dana@harbor.example> wrote:\n']);
    });

    it('reads a customer\'s Outlook reply from what they wrote now, before the message it quotes', () => {
      const reply = `Please add: VALVE-DN50 x 5 @ 460\n\n-----Original Message-----\nFrom: Dana Ortiz [mailto:dana@harbor.example]\nSent: Monday, November 23, 2026 9:12 AM\nTo: Sales\nSubject: PO 1\n\nPUMP-200 x 2 @ 12800\n`;
      const mail = unwrapForwards(reply, { name: 'Dana Ortiz', email: 'dana@harbor.example' });
      expect(mail.owner).toBeUndefined();
      expect(mail.sections.map((section) => section.trim())).toEqual(['Please add: VALVE-DN50 x 5 @ 460', 'PUMP-200 x 2 @ 12800']);
    });

    it('names no owner when a customer forwards a colleague\'s mail from their own domain', () => {
      const body = `FYI\n\n---------- Forwarded message ---------\nFrom: Wang Fang <wangfang@acme.cn>\nDate: Mon, Nov 23, 2026 at 9:12 AM\nSubject: PO\nTo: Li <li@acme.cn>\n\n${ORDER}\n`;
      const mail = unwrapForwards(body, { name: 'Li', email: 'li@acme.cn' });
      expect(mail.customer.email).toBe('wangfang@acme.cn');
      expect(mail.owner).toBeUndefined();
    });
  });

  describe('when a From value is read', () => {
    it.each([
      ['Dana Ortiz <dana@harbor.example>', { name: 'Dana Ortiz', email: 'dana@harbor.example' }],
      ['"张工"<Zhang@HDSW.com.cn>;', { name: '张工', email: 'zhang@hdsw.com.cn' }],
      ['王经理 [mailto:wang@ytjx.cn] ', { name: '王经理', email: 'wang@ytjx.cn' }],
      ['Dana Ortiz <dana@harbor.example [dana@harbor.example]>', { name: 'Dana Ortiz', email: 'dana@harbor.example' }],
      ['dana@harbor.example', { email: 'dana@harbor.example' }],
      ['赵敏', { name: '赵敏' }],
    ])('%s', (value, party) => {
      expect(partyOf(value)).toEqual(party);
    });
  });
});
