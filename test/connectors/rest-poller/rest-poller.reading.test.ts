import { formatInstant, readInstant, resolutionMs } from '../../../connectors/rest-poller/rest-poller.dates';
import { JsonTextError, numbersToText, parseNumbersAsText } from '../../../connectors/rest-poller/number-text-json';
import { nextLink, nextPage } from '../../../connectors/rest-poller/rest-poller.pagination';

describe('JSON read with numbers as their text', () => {
  it('keeps every digit of amounts and ids a double would change', () => {
    expect(parseNumbersAsText('{"price":12500.10,"id":9007199254740993,"big":1e400,"neg":-0.000001,"list":[1,2.50]}')).toEqual({
      price: '12500.10',
      id: '9007199254740993',
      big: '1e400',
      neg: '-0.000001',
      list: ['1', '2.50'],
    });
  });

  it('reads strings, escapes and literals as JSON.parse does', () => {
    const text = '{"s":"\\u4e2d\\"\\n","t":true,"f":false,"n":null,"nested":{"a":[]}}';
    expect(parseNumbersAsText(text)).toEqual(JSON.parse(text));
  });

  it('keeps a "__proto__" key as data', () => {
    const value = parseNumbersAsText('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it.each([['{"a":01}'], ['{"a":1,}'], ['[1 2]'], ['{"a":"x'], ['{"a":1} trailing'], ['']])('refuses %j, naming the position', (text) => {
    expect(() => parseNumbersAsText(text)).toThrow(JsonTextError);
  });

  it('writes numbers already read by JSON.parse in plain notation', () => {
    expect(numbersToText({ a: 1e21, b: 1e-7, c: [0.1] })).toEqual({ a: '1000000000000000000000', b: '0.0000001', c: ['0.1'] });
  });
});

describe('instants as platforms write them', () => {
  const china = { format: 'yyyy-MM-dd HH:mm:ss', utcOffset: '+08:00' };

  it('writes and reads local time patterns in a fixed offset', () => {
    expect(formatInstant('2026-11-23T02:45:12.000Z', china)).toBe('2026-11-23 10:45:12');
    expect(readInstant('2026-11-23 10:45:12', china)).toBe('2026-11-23T02:45:12.000Z');
  });

  it('refuses a pattern time that is no date rather than rolling it over', () => {
    expect(readInstant('2026-02-30 10:00:00', china)).toBeUndefined();
  });

  it('reads epoch seconds, epoch millis and ISO instants with an offset only', () => {
    expect(readInstant('1795401912', { format: 'epoch-seconds', utcOffset: 'Z' })).toBe('2026-11-23T02:45:12.000Z');
    expect(readInstant('1795401912345', { format: 'epoch-millis', utcOffset: 'Z' })).toBe('2026-11-23T02:45:12.345Z');
    expect(readInstant('2026-11-23T10:45:12+08:00', { format: 'iso', utcOffset: 'Z' })).toBe('2026-11-23T02:45:12.000Z');
    expect(readInstant('2026-11-23T10:45:12', { format: 'iso', utcOffset: 'Z' })).toBeUndefined();
  });

  it('knows that second-precision formats need the window rounded outwards', () => {
    expect(resolutionMs(china)).toBe(1000);
    expect(resolutionMs({ format: 'iso', utcOffset: 'Z' })).toBe(1);
  });
});

describe('Link header paging', () => {
  it('finds rel="next" among several links and relation types', () => {
    expect(nextLink('<https://a.example/o?page_info=p>; rel="previous", <https://a.example/o?page_info=n>; rel="next last"')).toBe('https://a.example/o?page_info=n');
    expect(nextLink('<https://a.example/o?page_info=p>; rel=prev')).toBeUndefined();
  });

  it('does not follow a next link to another host, which would receive the credentials', async () => {
    const listing = new URL('https://api.market.example.cn/api/v2/orders');
    const answer = { body: {}, items: [{}], url: listing, headers: { link: '<https://collector.example.net/steal>; rel="next"' } };
    await expect(nextPage({ type: 'link' }, undefined, answer, listing)).rejects.toThrow(/not followed/);
  });

  it('stops when a cursor platform answers with the cursor it was given', async () => {
    const listing = new URL('https://api.market.example.cn/api/v2/orders');
    const answer = { body: { next: 'abc' }, items: [{}], url: listing, headers: {} };
    await expect(nextPage({ type: 'cursor', param: 'cursor', next: 'next' }, 'abc', answer, listing)).rejects.toThrow(/same cursor/);
  });
});
