import { x12OrderParser } from '../../../connectors/x12/x12-850.parser';
import { fixture, parse } from './x12-harness';

const piped = fixture('850-4010-pipe-newline-separators.edi');

/** The same interchange with the usual delimiters: '*' elements, '>' components, '~' plus newline. */
const starred = piped
  .split('\n')
  .filter((segment) => segment !== '')
  .map((segment) => segment.replaceAll('|', '*').replace(/\*\^$/, '*>'))
  .map((segment) => `${segment}~\n`)
  .join('');

describe('X12 separators', () => {
  describe('when the ISA declares | elements, newline terminators and ^ components', () => {
    it('reads the same orders as with *, > and ~', async () => {
      expect(starred.split('\n')[1]).toBe('GS*PO*MAPLEFITOUT*ORDERHUB*20260420*1530*31*X*004010~');
      const [withPipes, withStars] = await Promise.all([parse(piped), parse(starred)]);
      expect(withPipes.ok && withStars.ok).toBe(true);
      expect(withPipes.orders).toEqual(withStars.orders);
      expect(withPipes.orders[0]!.draft!.lines.map((l) => [l.lineNo, l.sku])).toEqual([
        [10, 'PANEL-A'],
        [20, 'TRIM-ALU'],
      ]);
    });

    it('reads them with CRLF line ends too', async () => {
      const result = await parse(piped.replaceAll('\n', '\r\n'));
      expect(result.orders[0]!.draft!.poNumber).toBe('7731-A');
    });
  });

  describe('when the ISA declares ~ as the element separator and CR as the terminator', () => {
    it('reads the public Adobe sample, indentation and all', async () => {
      const result = await parse(fixture('850-oopfactory-adobe-crlf-terminator.edi'), { items: { sku: ['MG'] } });
      expect(result.orders[0]!.draft!.lines[0]!.sku).toBe('64113730AD01A00');
    });
  });

  describe('sniff', () => {
    it.each([
      ['an interchange', piped, true],
      ['one after a byte order mark and blank lines', `\uFEFF\r\n\n${piped}`, true],
      ['JSON', '{"poNumber":"PO-1"}', false],
      ['text that merely starts with ISA', 'ISAAC ordered 3 pumps', false],
      ['an empty body', '', false],
    ])('says %s is %s', (_what, body, expected) => {
      expect(x12OrderParser.sniff(Buffer.from(body, 'utf8'))).toBe(expected);
    });

    it('names its format x12-850', () => {
      expect(x12OrderParser.format).toBe('x12-850');
    });
  });
});
