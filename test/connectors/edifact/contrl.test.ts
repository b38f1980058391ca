import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../../core/errors/validation.error';
import { generateContrl } from '../../../connectors/edifact/edifact-contrl.generator';
import { counter, interchange, NOW, ORDER_BODY, parse, plain, segmentsOf } from './edifact.harness';

const FIXTURES = join(__dirname, '../../fixtures/edifact');
/** The hub answers from its own id to whoever sent the interchange. */
const options = (overrides = {}) => ({ controlNumbers: counter(500), sender: 'ZZ:HUB', receiver: 'ZZ:SENDER', now: NOW, ...overrides });

/** The CONTRL's own segments between UNH and UNT. */
async function report(input: string | Buffer, overrides = {}): Promise<string[]> {
  const doc = await generateContrl(await parse(input), options(overrides));
  const segments = plain(segmentsOf(doc));
  expect(segments[1]).toBe('UNH+500+CONTRL:D:3:UN');
  return segments.slice(2, -2);
}

describe('CONTRL', () => {
  describe('when the interchange is good', () => {
    it('acknowledges the interchange (UCI 7) and each message (UCM 7)', async () => {
      expect(await report(interchange([ORDER_BODY, ORDER_BODY]))).toEqual([
        'UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+7',
        'UCM+1+ORDERS:D:96A:UN+7',
        'UCM+2+ORDERS:D:96A:UN+7',
      ]);
    });

    it('is an interchange of its own, addressed back, with a fresh control number', async () => {
      const doc = await generateContrl(await parse(interchange([ORDER_BODY])), options());
      expect(doc).toMatchObject({ format: 'edifact-contrl', fileName: 'CONTRL-500.edi', contentType: 'application/edifact' });
      expect(plain(segmentsOf(doc))[0]).toBe('UNB+UNOC:3+HUB:ZZ+SENDER:ZZ+261123:1055+500');
    });
  });

  describe('when some messages are bad', () => {
    it('acknowledges the interchange and rejects only the bad message, pointing at segment and element', async () => {
      expect(await report(readFileSync(join(FIXTURES, 'orders-unoy-chinese-two-messages.edi')))).toEqual([
        'UCI+CN0001+91310000MA1FL0XX1X:ZZZ+SUPPLIER-CN:ZZZ+7',
        'UCM+1+ORDERS:D:96A:UN+7',
        // CNT is the 9th segment of message 2 (UNH = 1); CNT01 component 2, control count wrong.
        'UCM+2+ORDERS:D:96A:UN+4',
        'UCS+9',
        'UCD+29+1:2',
      ]);
    });

    it('reports a missing segment on the segment where it was expected', async () => {
      const body = ORDER_BODY.filter((s) => !s.startsWith('PRI'));
      expect(await report(interchange([ORDER_BODY, body]))).toEqual([
        'UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+7',
        'UCM+1+ORDERS:D:96A:UN+7',
        'UCM+2+ORDERS:D:96A:UN+4',
        'UCS+5+13',
      ]);
    });

    it('rejects an unsupported version with the error on UNH02', async () => {
      expect(await report(readFileSync(join(FIXTURES, 'smooks-orders-d03b.edi')))).toEqual([
        'UCI+6002+APPLICATION:1+COMPANY:1+7',
        'UCM+SSDD1+ORDERS:D:03B:UN:EAN008+4+14+UNH+2:2',
      ]);
    });
  });

  describe('when the envelope is broken', () => {
    it('rejects the interchange (UCI 4) with the UNZ error in UCI', async () => {
      expect(await report(readFileSync(join(FIXTURES, 'pydifact-wikipedia-de.edi')))).toEqual(['UCI+1+Senderkennung+Empfaengerkennung+4+28+UNZ+2']);
    });

    it('rejects the interchange and names the message whose UNT count is wrong in its UCM', async () => {
      const doc = interchange([ORDER_BODY, ORDER_BODY]).replace('UNT+10+2', 'UNT+11+2');
      expect(await report(doc)).toEqual(['UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+4', 'UCM+2+ORDERS:D:96A:UN+4+29+UNT+1']);
    });

    it('rejects a truncated interchange, blaming the missing UNZ', async () => {
      expect(await report(readFileSync(join(FIXTURES, 'pydifact-order2-no-unz.edi')))).toEqual(['UCI+000000001+SENDERID+RECEIVERID+4+13+UNZ']);
    });

    it('cannot be addressed when not even UNB was read', async () => {
      const result = await parse('garbage');
      await expect(generateContrl(result, options())).rejects.toThrow(ValidationError);
      await expect(generateContrl(result, options())).rejects.toMatchObject({ code: 'edifact.contrl_unaddressable' });
    });
  });

  describe('functional groups', () => {
    it('answers each group with UCF and its messages inside', async () => {
      expect(await report(readFileSync(join(FIXTURES, 'orders-d01b-una-comma-groups.edi')))).toEqual([
        'UCI+IC7001+BUYER01:ZZ+SELLER01:ZZ+7',
        'UCF+FG1+BUYER01:ZZ+SELLER01:ZZ+7',
        'UCM+1+ORDERS:D:01B:UN+7',
      ]);
    });
  });

  it('rejects a duplicate interchange whole with code 26', async () => {
    expect(await report(interchange([ORDER_BODY]), { duplicate: true })).toEqual(['UCI+IC1+SENDER:ZZ+RECEIVER:ZZ+4+26']);
  });
});
