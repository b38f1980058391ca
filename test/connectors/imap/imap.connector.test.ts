import { MailboxUnavailableError } from '../../../connectors/imap/mailbox-session';
import { imapConfig } from '../../../connectors/imap/imap.config';
import { mail, patchedTransport, PROCESSED, QUARANTINE, useImapHarness } from './imap.harness';

const h = useImapHarness();

describe('imap connector against Dovecot', () => {
  describe('when mails are appended to the inbox', () => {
    it('keeps each raw exactly once, as received, and moves it to the processed folder', async () => {
      const user = h.dovecot.newUser();
      const sent = [mail({ subject: 'PO 1' }), mail({ subject: 'PO 2' }), mail({ subject: '订单 3' })];
      for (const m of sent) await h.dovecot.append(user, m);
      const connector = h.connector(user);

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 3, quarantined: 0, duplicates: 0, resumed: 0, remaining: 0 });
      expect(await connector.poll(h.signal)).toMatchObject({ kept: 0 });

      const raw = await h.raw(connector.id);
      expect(raw.map((m) => m.body.toString('latin1')).sort()).toEqual(sent.map((m) => m.toString('latin1')).sort());
      for (const message of raw) {
        expect(message).toMatchObject({ channel: 'email', format: 'email', contentType: 'message/rfc822', status: 'received' });
        expect(message.externalId).toMatch(/^<.+@example\.cn>$/);
        expect(message.meta).toMatchObject({ mailbox: 'INBOX', from: 'buyer@example.cn', uidValidity: expect.any(String), uid: expect.any(Number) });
      }
      expect(await h.dovecot.list(user)).toEqual([]);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject).sort()).toEqual(['PO 1', 'PO 2', '订单 3']);
    });

    it('records each mail in the ledger under (account, mailbox, UIDVALIDITY, UID) with its raw message', async () => {
      const user = h.dovecot.newUser();
      const { uid, uidValidity } = await h.dovecot.append(user, mail({ subject: 'PO ledger' }));
      const connector = h.connector(user);
      await connector.poll(h.signal);

      const [raw] = await h.raw(connector.id);
      const key = `imap://${user}@127.0.0.1:${h.dovecot.port}/INBOX;UIDVALIDITY=${uidValidity}/;UID=${uid}`;
      expect(await h.store.ledger.get(connector.id, key)).toMatchObject({ rawMessageId: raw!.id, data: { folder: 'processed', messageId: raw!.externalId } });
    });
  });

  describe('when a sender is outside allowedSenderDomains', () => {
    it('keeps the mail quarantined as sender.not_allowed and moves it to the quarantine folder; subdomains count as allowed', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'from a subdomain', from: 'li@sales.example.cn' }));
      await h.dovecot.append(user, mail({ subject: 'from a stranger', from: 'spam@example.cn.evil.test' }));
      const connector = h.connector(user, { overrides: { allowedSenderDomains: ['Example.CN'] } });

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 1, quarantined: 1 });

      const quarantined = (await h.raw(connector.id)).filter((m) => m.status === 'quarantined');
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0]).toMatchObject({ reason: 'sender.not_allowed', meta: { from: 'spam@example.cn.evil.test' } });
      expect((await h.dovecot.list(user, QUARANTINE)).map((m) => m.subject)).toEqual(['from a stranger']);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject)).toEqual(['from a subdomain']);
    });
  });

  describe('when a mail is larger than maxMessageBytes', () => {
    it('keeps only its headers, quarantined as document.too_large, and moves it to the quarantine folder', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'huge scan', padding: 20_000 }));
      await h.dovecot.append(user, mail({ subject: 'small order' }));
      const connector = h.connector(user, { overrides: { maxMessageBytes: 4_000 } });

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 1, quarantined: 1 });

      const [huge] = (await h.raw(connector.id)).filter((m) => m.status === 'quarantined');
      expect(huge).toMatchObject({ reason: 'document.too_large', contentType: 'text/rfc822-headers', meta: { subject: 'huge scan' } });
      const head = huge!.body.toString('utf8');
      expect(head).toContain('Subject: huge scan\r\n');
      expect(head.endsWith('\r\n\r\n')).toBe(true);
      expect(head).not.toContain('PUMP-200');
      expect((await h.dovecot.list(user, QUARANTINE)).map((m) => m.subject)).toEqual(['huge scan']);
    });
  });

  describe('when the same mail is appended again under a new UID', () => {
    it('stores it once and moves both copies', async () => {
      const user = h.dovecot.newUser();
      const order = mail({ subject: 'PO twice' });
      await h.dovecot.append(user, order);
      const connector = h.connector(user);
      expect(await connector.poll(h.signal)).toMatchObject({ kept: 1 });

      await h.dovecot.append(user, order);
      expect(await connector.poll(h.signal)).toMatchObject({ kept: 0, duplicates: 1 });

      expect(await h.raw(connector.id)).toHaveLength(1);
      expect(await h.dovecot.list(user, PROCESSED)).toHaveLength(2);
      expect(await h.dovecot.list(user)).toEqual([]);
    });
  });

  describe('when the server lacks MOVE', () => {
    it('moves by UID COPY, STORE \\Deleted and UID EXPUNGE', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'PO old server' }));
      const transport = patchedTransport((client) => {
        const connect = client.connect.bind(client);
        client.connect = async () => {
          await connect();
          client.capabilities.delete('MOVE');
        };
      });
      const connector = h.connector(user, { transport });

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 1 });
      expect(transport.made[0]!.capabilities.has('MOVE')).toBe(false);
      expect(await h.dovecot.list(user)).toEqual([]);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject)).toEqual(['PO old server']);
    });
  });

  describe('when UID SEARCH fails', () => {
    it('rejects the pass rather than reading it as an empty folder, and touches no mail', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'PO waiting' }));
      const connector = h.connector(user, { transport: patchedTransport((client) => Object.assign(client, { search: async () => false })) });

      await expect(connector.poll(h.signal)).rejects.toBeInstanceOf(MailboxUnavailableError);
      expect(await h.raw(connector.id)).toEqual([]);
      expect((await h.dovecot.list(user)).map((m) => m.subject)).toEqual(['PO waiting']);
    });
  });

  describe('when the configured folder does not exist', () => {
    it('rejects the pass instead of creating it or reporting it empty', async () => {
      const user = h.dovecot.newUser();
      const connector = h.connector(user, { overrides: { mailbox: 'NoSuchFolder' } });
      await expect(connector.poll(h.signal)).rejects.toThrow();
    });
  });
});

describe('imap config', () => {
  const base = { id: 'orders-mail', kind: 'imap', host: 'imap.example.cn', user: 'orders@example.cn', password: 'x' };

  it('defaults to TLS on 993, INBOX, a 25 MB cap and a dead connection noticed within a minute', () => {
    const config = imapConfig.parse(base);
    expect(config).toMatchObject({ port: 993, secure: true, mailbox: 'INBOX', maxMessageBytes: 25 * 1024 * 1024, allowedSenderDomains: [] });
    expect(config.keepAliveMs + config.commandTimeoutMs).toBeLessThanOrEqual(60_000);
  });

  it('refuses a keep-alive that would notice a dead connection later than a minute, and folders that coincide', () => {
    const result = imapConfig.safeParse({ ...base, keepAliveMs: 50_000, commandTimeoutMs: 30_000, processedFolder: 'inbox' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['keepAliveMs', 'processedFolder']);
  });
});
