import { edit, fixture, parse } from './x12-harness';

/** Two 850s in one 005010 group: ISA is segment 1, GS 2, the sets' SE 25 and 33, GE 34, IEA 35. */
const good = fixture('850-5010-two-orders.edi');

describe('X12 envelope checks', () => {
  describe('when the envelope is sound', () => {
    it('takes both orders and names the interchange as qualifier:id and ISA13', async () => {
      const result = await parse(good);
      expect(result).toMatchObject({ ok: true, issues: [], interchange: { sender: 'ZZ:HARBORCO', receiver: 'ZZ:ORDERHUB', controlNumber: '000000907' } });
      expect(result.orders.map((o) => [o.ref, o.draft?.poNumber])).toEqual([
        ['ST02=0001', 'PO-2026-0815'],
        ['ST02=0002', 'PO-2026-0816'],
      ]);
    });

    it('reads past a UTF-8 byte order mark and blank lines before the ISA', async () => {
      const result = await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\r\n  \n${good}`)]));
      expect(result.ok).toBe(true);
      expect(result.orders).toHaveLength(2);
    });
  });

  describe('when SE01 does not count the set', () => {
    it('rejects that set alone, naming SE01 by its segment position', async () => {
      const result = await parse(edit(good, 'SE*23*0001', 'SE*22*0001'));
      expect(result.ok).toBe(true);
      expect(result.orders[0]).toEqual({
        ref: 'ST02=0001',
        issues: [{ path: 'segment 25 (SE) SE01', message: 'SE01 says 22 segments; the set has 23 (ST and SE included)', code: 'x12.set_count' }],
      });
      expect(result.orders[1]!.draft?.poNumber).toBe('PO-2026-0816');
    });
  });

  describe('when SE02 does not repeat ST02', () => {
    it('rejects that set, naming SE02', async () => {
      const result = await parse(edit(good, 'SE*8*0002', 'SE*8*0003'));
      expect(result.orders[1]!.draft).toBeUndefined();
      expect(result.orders[1]!.issues).toEqual([expect.objectContaining({ path: 'segment 33 (SE) SE02', code: 'x12.set_control_number' })]);
    });
  });

  describe('when GE01 does not count the group', () => {
    it('rejects the whole group: an issue on GE01 and no draft from any of its sets', async () => {
      const result = await parse(edit(good, 'GE*2*907', 'GE*3*907'));
      expect(result.ok).toBe(true);
      expect(result.issues).toEqual([{ path: 'segment 34 (GE) GE01', message: 'GE01 says 3 transaction sets; the group has 2', code: 'x12.group_count' }]);
      expect(result.orders.map((o) => o.draft)).toEqual([undefined, undefined]);
      expect(result.orders[0]!.issues).toEqual([expect.objectContaining({ path: 'segment 3 (ST)', code: 'x12.group_rejected' })]);
    });
  });

  describe('when GE02 does not repeat GS06', () => {
    it('rejects the group, naming GE02', async () => {
      const result = await parse(edit(good, 'GE*2*907', 'GE*2*908'));
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 34 (GE) GE02', code: 'x12.group_control_number' })]);
    });
  });

  describe('when the version is not 004010 or 005010', () => {
    it('names GS08 and the version, and takes nothing from the group', async () => {
      const result = await parse(edit(good, '*X*005010~', '*X*003020~'));
      expect(result.issues).toEqual([
        { path: 'segment 2 (GS) GS08', message: 'unsupported version 003020; 004010 and 005010 are read', code: 'x12.group_version' },
      ]);
      expect(result.orders.every((o) => o.draft === undefined)).toBe(true);
    });
  });

  describe('when IEA02 does not repeat ISA13', () => {
    it('refuses the interchange as x12.envelope, naming IEA02', async () => {
      const result = await parse(edit(good, 'IEA*1*000000907', 'IEA*1*000000908'));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope', orders: [] });
      expect(result.issues).toEqual([
        { path: 'segment 35 (IEA) IEA02', message: 'IEA02 000000908 does not match ISA13 000000907', code: 'x12.interchange_control_number' },
      ]);
      expect(result.interchange?.controlNumber).toBe('000000907');
    });
  });

  describe('when IEA01 does not count the groups', () => {
    it('refuses the interchange, naming IEA01', async () => {
      const result = await parse(edit(good, 'IEA*1*', 'IEA*2*'));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues[0]).toMatchObject({ path: 'segment 35 (IEA) IEA01', code: 'x12.interchange_count' });
    });
  });

  describe('when the input is truncated', () => {
    it.each([
      ['after a segment inside a set', good.slice(0, good.indexOf('PO1*3')), 'segment 21 (PID)', 'SE, GE and IEA'],
      ['before the IEA', good.slice(0, good.indexOf('IEA')), 'segment 34 (GE)', 'IEA'],
    ])('%s: refuses it as x12.envelope, naming the last segment read and what is missing', async (_when, body, path, missing) => {
      const result = await parse(body);
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues).toEqual([{ path, message: `the interchange ends without its ${missing} (truncated)`, code: 'x12.truncated' }]);
    });

    it('inside a segment: names the segment cut short', async () => {
      const result = await parse(good.slice(0, good.indexOf('PO1*3') + 8));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 22 (PO1)', code: 'x12.truncated' })]);
      expect(result.issues[0]!.message).toMatch(/ends inside this segment/);
    });

    it('inside the ISA: says the ISA is short', async () => {
      const result = await parse(good.slice(0, 80));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues[0]).toMatchObject({ path: 'segment 1 (ISA)', code: 'x12.isa' });
      expect(result.issues[0]!.message).toMatch(/exactly 106 characters.*only 80/);
    });
  });

  describe('when the separators are bad', () => {
    it('names the ISA element whose fixed width is wrong', async () => {
      const result = await parse(edit(good, '*HARBORCO       *', '*HARBORCO      *'));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues).toEqual([
        { path: 'segment 1 (ISA) ISA06', message: 'ISA06 is 14 characters long; it must be 15 (fixed width, padded with spaces)', code: 'x12.isa' },
      ]);
    });

    it('refuses a segment terminator that is also the component separator', async () => {
      const result = await parse(good.replaceAll('~', '>'));
      expect(result.issues[0]).toMatchObject({ code: 'x12.separators', path: 'segment 1 (ISA)' });
      expect(result.issues[0]!.message).toMatch(/component separator.*segment terminator.*both ">"|segment terminator.*component separator.*both ">"/);
    });

    it('refuses a letter as the element separator', async () => {
      const result = await parse(good.replaceAll('*', 'Q'));
      expect(result.issues[0]).toMatchObject({ code: 'x12.separators', message: 'element separator "Q" (character 4) cannot be a letter, digit or space' });
    });

    it('refuses data whose segments do not start with a segment ID under the declared separators', async () => {
      const result = await parse(edit(good, '*>~\nGS', '*>!\nGS'));
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues).toEqual([expect.objectContaining({ path: 'segment 2 (GS)', code: 'x12.truncated' })]);
      expect(result.issues[0]!.message).toMatch(/terminator "!" the ISA declares/);
    });
  });

  describe('when segments sit outside their envelope', () => {
    it.each([
      ['a segment between two sets', edit(good, 'SE*23*0001~\n', 'SE*23*0001~\nREF*ZZ*stray~\n'), 'segment 26 (REF)', /outside a transaction set/],
      ['data after the IEA', `${good}GS*PO*X*Y*20261103*0912*908*X*005010~`, 'segment 36 (GS)', /data after the IEA/],
      ['an IEA inside an open group', edit(good, 'GE*2*907~\n', ''), 'segment 34 (IEA)', /IEA before the GE of group 907/],
    ])('%s: refuses the interchange, naming the segment', async (_case, body, path, message) => {
      const result = await parse(body);
      expect(result).toMatchObject({ ok: false, code: 'x12.envelope' });
      expect(result.issues[0]!.path).toBe(path);
      expect(result.issues[0]!.message).toMatch(message);
    });
  });

  describe('when a set in the interchange is not an 850', () => {
    it('reports it as an issue on ST01 and still takes the 850s', async () => {
      const withAck = edit(edit(good, 'GE*2*907', 'GE*3*907'), 'GE*3*907~\n', 'ST*855*0003~\nBAK*00*AD*PO-1*20261101~\nSE*3*0003~\nGE*3*907~\n');
      const result = await parse(withAck);
      expect(result.ok).toBe(true);
      expect(result.orders.filter((o) => o.draft)).toHaveLength(2);
      expect(result.issues).toEqual([
        { path: 'segment 34 (ST) ST01', message: 'transaction set 855 is not a purchase order (850); not taken', code: 'x12.set_unsupported' },
      ]);
    });
  });

  describe('when two sets in a group share ST02', () => {
    it('rejects the second, naming its ST02', async () => {
      const result = await parse(edit(edit(good, 'ST*850*0002', 'ST*850*0001'), 'SE*8*0002', 'SE*8*0001'));
      expect(result.orders[1]!.issues).toEqual([expect.objectContaining({ path: 'segment 26 (ST) ST02', code: 'x12.set_duplicate' })]);
    });
  });
});
