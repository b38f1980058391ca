import { parseRetryAfter } from '../../../../connectors/shared/http-client';

const NOW = Date.parse('2026-03-02T08:00:00Z');
const HOUR_MS = 3_600_000;

describe('parseRetryAfter', () => {
  describe('when given delta-seconds', () => {
    it('returns them in milliseconds', () => {
      expect(parseRetryAfter('120', NOW)).toBe(120_000);
    });

    it('reads 0 as retry now', () => {
      expect(parseRetryAfter('0', NOW)).toBe(0);
    });

    it('tolerates surrounding whitespace', () => {
      expect(parseRetryAfter(' 5 ', NOW)).toBe(5_000);
    });
  });

  describe('when given an HTTP-date', () => {
    it('returns the time left until it', () => {
      expect(parseRetryAfter('Mon, 02 Mar 2026 08:01:30 GMT', NOW)).toBe(90_000);
    });

    it('reads the obsolete RFC 850 form', () => {
      expect(parseRetryAfter('Monday, 02-Mar-26 08:01:30 GMT', NOW)).toBe(90_000);
    });

    it('reads the asctime form as GMT, whatever the local zone', () => {
      expect(parseRetryAfter('Mon Mar  2 08:01:30 2026', NOW)).toBe(90_000);
    });

    it('reads a date in the past as retry now', () => {
      expect(parseRetryAfter('Mon, 02 Mar 2026 07:00:00 GMT', NOW)).toBe(0);
    });
  });

  describe('when the partner asks for more than an hour', () => {
    it('caps delta-seconds at one hour', () => {
      expect(parseRetryAfter('86400', NOW)).toBe(HOUR_MS);
    });

    it('caps a far HTTP-date at one hour', () => {
      expect(parseRetryAfter('Tue, 03 Mar 2026 08:00:00 GMT', NOW)).toBe(HOUR_MS);
    });
  });

  describe('when the value is absent or unreadable', () => {
    it.each([undefined, '', 'soon', '-5', '1.5', '2026-03-02T08:01:30Z'])('returns undefined for %p', (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    });
  });
});
