import { FaultySink, eventually, mail, patchedTransport, PROCESSED, useImapHarness } from './imap.harness';

const h = useImapHarness();

/** A transport whose first `times` UID MOVEs are refused, as by a server that fails the command. */
function refusingMoves(times: number): ReturnType<typeof patchedTransport> {
  let refused = 0;
  return patchedTransport((client) => {
    const move = client.messageMove.bind(client);
    client.messageMove = async (...args) => (refused++ < times ? false : move(...args));
  });
}

describe('imap connector exactly-once', () => {
  describe('when the raw write fails on the 3rd of 10 mails', () => {
    it('stops that pass, and a restarted connector keeps all 10 exactly once and moves them', async () => {
      const user = h.dovecot.newUser();
      const sent = Array.from({ length: 10 }, (_, i) => mail({ subject: `PO ${i + 1}` }));
      for (const m of sent) await h.dovecot.append(user, m);
      const sink = new FaultySink(h.store);
      sink.failBefore.add(3);
      const first = h.connector(user, { sink });

      await expect(first.poll(h.signal)).rejects.toThrow('injected on write 3');
      expect(await h.raw(first.id)).toHaveLength(2);
      expect(await h.dovecot.list(user)).toHaveLength(8);
      await first.stop();

      const restarted = h.connector(user);
      await restarted.start(h.signal);
      await eventually(async () => (await h.dovecot.list(user)).length === 0, 'the inbox to empty');

      const raw = await h.raw(first.id);
      expect(raw.map((m) => m.body.toString('latin1')).sort()).toEqual(sent.map((m) => m.toString('latin1')).sort());
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject).sort()).toEqual(sent.map((_, i) => `PO ${i + 1}`).sort());
    });
  });

  describe('when the hub dies after the raw write but before the ledger and the move', () => {
    it('recognises the stored mail on restart (created: false) and moves it without a second raw message', async () => {
      const user = h.dovecot.newUser();
      for (let i = 1; i <= 4; i++) await h.dovecot.append(user, mail({ subject: `PO ${i}` }));
      const sink = new FaultySink(h.store);
      sink.failAfter.add(3);
      const first = h.connector(user, { sink });
      await expect(first.poll(h.signal)).rejects.toThrow('after raw write 3');
      expect(await h.raw(first.id)).toHaveLength(3);
      await first.stop();

      expect(await h.connector(user).poll(h.signal)).toMatchObject({ kept: 1, duplicates: 1 });
      expect(await h.raw(first.id)).toHaveLength(4);
      expect(await h.dovecot.list(user)).toEqual([]);
      expect(await h.dovecot.list(user, PROCESSED)).toHaveLength(4);
    });
  });

  describe('when a mail was kept and recorded but its move failed', () => {
    it('only moves it on the next pass, from the ledger entry', async () => {
      const user = h.dovecot.newUser();
      await h.dovecot.append(user, mail({ subject: 'PO move refused' }));
      const first = h.connector(user, { transport: refusingMoves(1) });
      await expect(first.poll(h.signal)).rejects.toThrow(/moving mail UID \d+ to Processed failed/);
      expect(await h.dovecot.list(user)).toHaveLength(1);
      await first.stop();

      expect(await h.connector(user).poll(h.signal)).toMatchObject({ kept: 0, duplicates: 0, resumed: 1 });
      expect(await h.raw(first.id)).toHaveLength(1);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject)).toEqual(['PO move refused']);
    });
  });

  describe('when the folder is recreated with a new UIDVALIDITY', () => {
    it('re-scans it: a mail already kept is moved without a second raw message, a new one is kept', async () => {
      const user = h.dovecot.newUser();
      const kept = mail({ subject: 'PO before rebuild' });
      await h.dovecot.createMailbox(user, 'Orders');
      const before = await h.dovecot.append(user, kept, 'Orders');
      const connector = h.connector(user, { overrides: { mailbox: 'Orders' }, transport: refusingMoves(1) });
      await expect(connector.poll(h.signal)).rejects.toThrow(/moving mail/);

      await h.dovecot.deleteMailbox(user, 'Orders');
      await h.dovecot.createMailbox(user, 'Orders');
      const after = await h.dovecot.append(user, kept, 'Orders');
      await h.dovecot.append(user, mail({ subject: 'PO after rebuild' }), 'Orders');
      expect(after.uidValidity).not.toBe(before.uidValidity);

      expect(await connector.poll(h.signal)).toMatchObject({ kept: 1, duplicates: 1, resumed: 0 });
      expect(await h.raw(connector.id)).toHaveLength(2);
      expect(await h.dovecot.list(user, 'Orders')).toEqual([]);
      expect((await h.dovecot.list(user, PROCESSED)).map((m) => m.subject).sort()).toEqual(['PO after rebuild', 'PO before rebuild']);
    });
  });
});
