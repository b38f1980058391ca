import { parseConfig } from '../../../config/load-config';
import type { FormatParser } from '../../../connectors/connector';
import { imapConfig } from '../../../connectors/imap/imap.config';
import { formatParsers } from '../../../connectors/registry';
import { FaultySink, mail, PROCESSED, QUARANTINE, useImapHarness } from './imap.harness';

const h = useImapHarness();

/** A customer who writes day-first dates: 15/12/2026 is read only with a template that says so. */
const DAY_FIRST = 'PO: PO-DAY-FIRST\r\nDelivery date: 15/12/2026\r\nPUMP-200 x 2 @ 12800';
const dayFirstTemplate = imapConfig.shape.mappings.parse({ email: { templates: { 'example.cn': { dateFormat: 'DD/MM/YYYY' } } } });

describe('imap connector: mail that cannot become an order', () => {
  describe('when a mail holds no order the email parser can read', () => {
    it('keeps it quarantined with the parser\'s reason and moves it to the quarantine folder; an order mail beside it goes to processed', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'thanks', body: 'Thank you for the quotation, we will come back to you.' }));
      await h.dovecot.append(user, mail({ subject: 'PO 7' }));
      const connector = h.connector(user);

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 1, quarantined: 1 });

      const raw = await h.raw(connector.id);
      expect(raw.map((m) => [m.meta?.subject, m.status, m.reason])).toEqual([
        ['thanks', 'quarantined', 'email.no_order'],
        ['PO 7', 'received', undefined],
      ]);
      expect(raw[0]!.details).toEqual([expect.objectContaining({ code: 'email.no_order' })]);
      expect((await h.dovecot.list(user, QUARANTINE)).map((m) => m.subject)).toEqual(['thanks']);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject)).toEqual(['PO 7']);
    });
  });

  describe('when the sender template is under mappings.email', () => {
    it('reads the mail with it: the day-first date makes an order with the template, and is quarantined as document.no_orders without', async () => {
      const withTemplate = h.dovecot.newUser();
      const without = h.dovecot.newUser();
      for (const user of [withTemplate, without]) await h.dovecot.append(user, mail({ subject: 'PO day first', body: DAY_FIRST }));

      expect(await h.connector(withTemplate, { overrides: { mappings: dayFirstTemplate } }).poll(h.signal)).toMatchObject({ kept: 1, quarantined: 0 });
      expect(await h.connector(without).poll(h.signal)).toMatchObject({ kept: 0, quarantined: 1 });

      const [quarantined] = await h.raw(`imap-${without}`);
      expect(quarantined).toMatchObject({ status: 'quarantined', reason: 'document.no_orders', details: [expect.objectContaining({ path: 'body body deliveryDate' })] });
      expect(await h.dovecot.list(withTemplate, PROCESSED)).toHaveLength(1);
      expect(await h.dovecot.list(without, QUARANTINE)).toHaveLength(1);
    });
  });

  describe('when the email parser throws on a mail', () => {
    it('quarantines that mail as email.unreadable and takes the next one, rather than stalling the mailbox', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'poison', body: 'POISON' }));
      await h.dovecot.append(user, mail({ subject: 'PO after poison' }));
      const email = formatParsers.find((p) => p.format === 'email')!;
      const throwing: FormatParser = { ...email, parse: async (body, context) => (body.includes('POISON') ? Promise.reject(new Error('parser bug')) : email.parse(body, context)) };

      expect(await h.connector(user, { parsers: [throwing] }).poll(h.signal)).toMatchObject({ kept: 1, quarantined: 1 });

      expect((await h.dovecot.list(user, QUARANTINE)).map((m) => m.subject)).toEqual(['poison']);
      expect((await h.raw(`imap-${user}`))[0]).toMatchObject({ reason: 'email.unreadable', details: [{ message: 'the email parser failed: parser bug' }] });
    });
  });

  describe('when the hub dies after a quarantined mail was written raw but before it was moved', () => {
    it('recognises it on restart and moves it to the quarantine folder, without a second raw message', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'no order', body: 'Just saying hello.' }));
      const sink = new FaultySink(h.store);
      sink.failAfter.add(1);
      const first = h.connector(user, { sink });
      await expect(first.poll(h.signal)).rejects.toThrow('after raw write 1');
      await first.stop();

      expect(await h.connector(user).poll(h.signal)).toMatchObject({ quarantined: 0, duplicates: 1 });
      expect(await h.raw(first.id)).toEqual([expect.objectContaining({ status: 'quarantined', reason: 'email.no_order' })]);
      expect((await h.dovecot.list(user, QUARANTINE)).map((m) => m.subject)).toEqual(['no order']);
      expect(await h.dovecot.list(user)).toEqual([]);
    });
  });
});

describe('imap config: mappings', () => {
  const base = { id: 'orders-mail', kind: 'imap', host: 'imap.example.cn', user: 'orders@example.cn', password: 'x' };
  const yaml = (template: string) =>
    ['connectors:', '  - id: sales-mail', '    kind: imap', '    host: imap.example.cn', '    user: orders@example.cn', '    password: ${IMAP_PASSWORD}', '    mappings:', '      email:', '        templates:', '          acme.cn:', template, ''].join('\n');

  it('checks the sender templates under mappings.email when the config loads, naming the line and key', () => {
    expect(() => parseConfig(yaml('            colums: { sku: 物料编码 }'), 'hub.yaml', { IMAP_PASSWORD: 'x' })).toThrow(
      'hub.yaml:11 connectors[0].mappings.email.templates.acme.cn.colums: unknown key "colums"',
    );
  });

  it('keeps the templates as written, for the email parser to read', () => {
    const config = parseConfig(yaml('            dateFormat: DD/MM/YYYY'), 'hub.yaml', { IMAP_PASSWORD: 'x' });
    expect(config.connectors[0]).toMatchObject({ mappings: { email: { templates: { 'acme.cn': { dateFormat: 'DD/MM/YYYY' } } } } });
  });

  it('takes no other format than email', () => {
    expect(imapConfig.safeParse({ ...base, mappings: { 'x12-850': {} } }).success).toBe(false);
  });
});
