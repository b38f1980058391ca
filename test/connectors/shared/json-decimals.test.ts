import { jsonNumber, stringifyWithDecimals } from '../../../connectors/shared/json-decimals';

describe('stringifyWithDecimals', () => {
  it('writes decimals as number literals with their exact digits', () => {
    const text = stringifyWithDecimals({ qty: jsonNumber('0.1'), price: jsonNumber('12345678901234567.89'), rows: [jsonNumber('-3.50')] });
    expect(text).toBe('{"qty":0.1,"price":12345678901234567.89,"rows":[-3.5]}');
  });

  it('normalises notation JSON does not allow', () => {
    expect(stringifyWithDecimals([jsonNumber('007'), jsonNumber('10.00')])).toBe('[7,10]');
  });

  it('leaves strings that look like its marker alone', () => {
    const text = stringifyWithDecimals({ note: '\u0001deadbeefdeadbeef:12', qty: jsonNumber('1') });
    expect(JSON.parse(text)).toEqual({ note: '\u0001deadbeefdeadbeef:12', qty: 1 });
  });

  it('refuses a value that is not a decimal', () => {
    expect(() => jsonNumber('1e5; DROP')).toThrow();
  });
});
