import { createJsonataMapper } from '../../../connectors/rest-api/jsonata.mapper';
import { parseRestOrder, type ParseOutcome } from '../../../connectors/rest-api/rest-order.parser';
import { validDraft } from './api-harness';

const raw = (body: string | Buffer) => ({ body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8') });
const json = (value: unknown) => raw(JSON.stringify(value));

function failure(outcome: ParseOutcome) {
  if (outcome.ok) throw new Error('expected the body to be refused');
  return outcome;
}

describe('parseRestOrder', () => {
  describe('when the body is a valid canonical draft', () => {
    it('returns the draft with schema defaults applied', async () => {
      const outcome = await parseRestOrder(json(validDraft()));
      expect(outcome.ok).toBe(true);
      if (outcome.ok) {
        expect(outcome.draft.customer.name).toBe('Harbin Steel Works');
        expect(outcome.draft.lines[0]!.uom).toBe('EA');
      }
    });

    it('accepts a UTF-8 byte order mark and non-Latin text', async () => {
      const draft = { ...validDraft(), customer: { name: '哈尔滨钢铁厂' } };
      const outcome = await parseRestOrder(raw(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(draft))])));
      expect(outcome.ok && outcome.draft.customer.name).toBe('哈尔滨钢铁厂');
    });
  });

  describe('when the body is not JSON', () => {
    it.each([
      ['truncated JSON', raw('{"customer": {'), /not valid JSON/],
      ['an empty body', raw('  '), /empty/],
      ['bytes that are not UTF-8', raw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /UTF-8/],
    ])('refuses %s as request.malformed_json', async (_name, body, reason) => {
      const outcome = failure(await parseRestOrder(body));
      expect(outcome.code).toBe('request.malformed_json');
      expect(outcome.message).toMatch(reason);
      expect(outcome.details).toHaveLength(1);
    });
  });

  describe('when the JSON does not fit the draft schema', () => {
    it('names every offending field, with lines indexed', async () => {
      const draft = {
        ...validDraft(),
        currency: 'yuan',
        requestedDeliveryDate: '15/04/2026',
        lines: [
          { lineNo: 1, sku: 'BEAM-H200', quantity: '-3', unitPrice: '860.00' },
          { lineNo: 2, sku: 'BOLT-M20', quantity: 400, unitPrice: '1.20' },
          { lineNo: '3', quantity: '1', unitPrice: '2.00' },
        ],
      };
      delete (draft as { customer?: unknown }).customer;
      const outcome = failure(await parseRestOrder(json(draft)));
      expect(outcome.code).toBe('validation.failed');
      const byPath = Object.fromEntries(outcome.details.map((d) => [d.path, d.message]));
      expect(byPath).toEqual({
        customer: 'is required',
        currency: 'must be an ISO 4217 code such as CNY or USD',
        requestedDeliveryDate: 'must be a calendar date, YYYY-MM-DD',
        'lines[0].quantity': 'must be greater than zero',
        'lines[1].quantity': 'must be a string; send numbers as decimal strings, e.g. "12.50"',
        'lines[2].lineNo': 'must be a number, got string',
        'lines[2].sku': 'is required',
      });
      expect(outcome.message).toContain('lines[0].quantity');
    });

    it('refuses an order without lines', async () => {
      const outcome = failure(await parseRestOrder(json({ ...validDraft(), lines: [] })));
      expect(outcome.details).toEqual([{ path: 'lines', message: 'an order needs at least one line', code: 'too_small' }]);
    });

    it('refuses unknown fields at every depth, so a misspelt field is not silently dropped', async () => {
      const draft = validDraft();
      const lines = draft.lines as Record<string, unknown>[];
      lines[1] = { ...lines[1], qty: '5' };
      const outcome = failure(await parseRestOrder(json({ ...draft, requestedDeliveryDat: '2026-04-15', constructor: 1 })));
      // In the order the body has them: lines come before the two keys spread in after it.
      expect(outcome.details.map((d) => [d.path, d.message])).toEqual([
        ['lines[1].qty', 'unknown field'],
        ['requestedDeliveryDat', 'unknown field'],
        ['constructor', 'unknown field'],
      ]);
    });

    it('refuses well-formed JSON that is not an object as a validation failure', async () => {
      const outcome = failure(await parseRestOrder(json([validDraft()])));
      expect(outcome.code).toBe('validation.failed');
      expect(outcome.details).toEqual([{ path: '', message: 'must be an object, got array', code: 'invalid_type' }]);
    });
  });

  describe('when a mapper is given', () => {
    const mapper = createJsonataMapper(
      'acme-json',
      '{ "poNumber": ref, "customer": { "name": buyer }, "currency": cur, "lines": [items#$i.{ "lineNo": $i + 1, "sku": code, "quantity": $string(qty), "unitPrice": price }] }',
    );

    it('validates what the mapping produced', async () => {
      const outcome = await parseRestOrder(json({ ref: 'A-1', buyer: 'Acme', cur: 'USD', items: [{ code: 'X1', qty: 2, price: '9.50' }] }), mapper);
      expect(outcome).toEqual({
        ok: true,
        draft: { poNumber: 'A-1', customer: { name: 'Acme' }, currency: 'USD', lines: [{ lineNo: 1, sku: 'X1', quantity: '2', uom: 'EA', unitPrice: '9.50' }] },
      });
    });

    it('reports fields of the mapped draft when the mapping leaves them wrong', async () => {
      const outcome = failure(await parseRestOrder(json({ buyer: 'Acme', cur: 'USD', items: [{ code: 'X1', qty: 2, price: 9.5 }] }), mapper));
      expect(outcome.code).toBe('validation.failed');
      expect(outcome.message).toMatch(/^mapped order draft is invalid/);
      expect(outcome.details.map((d) => d.path)).toEqual(['lines[0].unitPrice']);
    });

    it('reports mapping.failed when the expression throws on this body', async () => {
      const strict = createJsonataMapper('strict', '{ "customer": { "name": $uppercase(buyer) } }');
      const outcome = failure(await parseRestOrder(json({ buyer: 42 }), strict));
      expect(outcome.code).toBe('mapping.failed');
      expect(outcome.message).toContain('connector "strict"');
      expect(outcome.details[0]!.code).toBe('T0410');
    });

    it('reports mapping.failed when the mapping produces nothing', async () => {
      const outcome = failure(await parseRestOrder(json({ other: 1 }), createJsonataMapper('empty', 'order')));
      expect(outcome).toMatchObject({ code: 'mapping.failed', details: [{ path: '', message: 'mapping produced nothing' }] });
    });
  });
});
