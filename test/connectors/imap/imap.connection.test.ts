import type { ImapFlow } from 'imapflow';
import { eventually, mail, patchedTransport, PROCESSED, useImapHarness } from './imap.harness';

const h = useImapHarness();

/** Real clients that count the IDLEs they start, so a test can wait until the connector listens. */
function countingIdles(patch: (client: ImapFlow) => void = () => undefined) {
  let idles = 0;
  const transport = patchedTransport((client) => {
    const idle = client.idle.bind(client);
    client.idle = (...args) => {
      idles++;
      return idle(...args);
    };
    patch(client);
  });
  return Object.defineProperty(transport, 'idles', { get: () => idles }) as typeof transport & { readonly idles: number };
}

/** Long enough that, within a test's bounded wait, only IDLE or a reconnect can have taken the mail. */
const NO_KEEP_ALIVE = { keepAliveMs: 50_000 };

describe('imap connector connection', () => {
  describe('when it listens with IDLE', () => {
    it('takes a new mail on the server notice, without a poll', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles();
      const connector = h.connector(user, { transport, overrides: NO_KEEP_ALIVE });
      await connector.start(h.signal);
      await eventually(async () => transport.idles > 0, 'the connector to IDLE');

      await h.dovecot.append(user, mail({ subject: 'PO pushed' }));

      await eventually(async () => (await h.dovecot.list(user, PROCESSED)).length === 1, 'the mail to be moved');
      expect(await h.raw(connector.id)).toHaveLength(1);
      expect(transport.made).toHaveLength(1);
    });
  });

  describe('when an IDLE notice is lost', () => {
    it('still takes the mail on the keep-alive reconcile pass', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles((client) => {
        const emit = client.emit.bind(client);
        client.emit = (event: string | symbol, ...args: unknown[]) => event !== 'exists' && emit(event, ...args);
      });
      const connector = h.connector(user, { transport, overrides: { keepAliveMs: 300 } });
      await connector.start(h.signal);
      await eventually(async () => transport.idles > 0, 'the connector to IDLE');

      await h.dovecot.append(user, mail({ subject: 'PO unannounced' }));

      await eventually(async () => (await h.dovecot.list(user, PROCESSED)).length === 1, 'the mail to be moved');
      expect(await h.raw(connector.id)).toHaveLength(1);
    });
  });

  describe('when the scheduler polls while the connector idles', () => {
    it('listens again afterwards, so the next mail still comes by IDLE', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles();
      const connector = h.connector(user, { transport, overrides: NO_KEEP_ALIVE });
      await connector.start(h.signal);
      await eventually(async () => transport.idles > 0, 'the connector to IDLE');

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 0, remaining: 0 });
      await eventually(async () => transport.idles > 1, 'IDLE to resume after the poll');
      await h.dovecot.append(user, mail({ subject: 'PO after a poll' }));

      await eventually(async () => (await h.dovecot.list(user, PROCESSED)).length === 1, 'the mail to be moved');
      expect(transport.made).toHaveLength(1);
    });
  });

  describe('when the server drops the connection', () => {
    it('reconnects and takes mail that arrives afterwards', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles();
      const connector = h.connector(user, { transport, overrides: NO_KEEP_ALIVE });
      await connector.start(h.signal);
      await eventually(async () => transport.idles > 0, 'the connector to IDLE');

      await h.dovecot.kick(user);
      await eventually(async () => transport.made.length === 2 && transport.idles === 2, 'a new connection to IDLE');
      await h.dovecot.append(user, mail({ subject: 'PO after the drop' }));

      await eventually(async () => (await h.dovecot.list(user, PROCESSED)).length === 1, 'the mail to be moved');
      expect(await h.raw(connector.id)).toHaveLength(1);
    });
  });

  describe('when the server restarts', () => {
    it('retries with back-off while it is down, then takes the mail that waited and the mail that follows', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles();
      const connector = h.connector(user, { transport, overrides: NO_KEEP_ALIVE });
      await h.dovecot.append(user, mail({ subject: 'PO before restart' }));
      await connector.start(h.signal);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject)).toEqual(['PO before restart']);

      await h.dovecot.restart();
      await h.dovecot.append(user, mail({ subject: 'PO after restart' }));

      await eventually(async () => (await h.dovecot.list(user, PROCESSED)).length === 2, 'the second mail to be moved');
      expect(await h.raw(connector.id)).toHaveLength(2);
      expect(transport.made.length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('when the connection goes dead without closing', () => {
    it('notices within keepAliveMs + commandTimeoutMs, reconnects and takes new mail', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles();
      const connector = h.connector(user, { transport, overrides: { keepAliveMs: 300, commandTimeoutMs: 1_000 } });
      await connector.start(h.signal);
      await eventually(async () => transport.idles > 0, 'the connector to IDLE');

      const { frozen, thaw } = h.dovecot.freeze(user);
      try {
        expect(frozen).toBe(1);
        await eventually(async () => transport.made.length >= 2 && transport.idles >= 2, 'a new connection to IDLE');
        await h.dovecot.append(user, mail({ subject: 'PO past a dead peer' }));
        await eventually(async () => (await h.dovecot.list(user, PROCESSED)).length === 1, 'the mail to be moved');
      } finally {
        thaw();
      }
      expect(await h.raw(connector.id)).toHaveLength(1);
    });
  });

  describe('when stopped', () => {
    it('logs out and stays stopped; a second stop is harmless', async () => {
      const user = h.dovecot.newUser();
      const transport = countingIdles();
      const connector = h.connector(user, { transport, overrides: NO_KEEP_ALIVE });
      await connector.start(h.signal);
      await connector.stop();
      await connector.stop();

      expect(transport.made[0]!.usable).toBe(false);
      await expect(connector.poll(h.signal)).rejects.toThrow('closed');
    });
  });
});
