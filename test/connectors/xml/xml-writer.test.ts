import { ValidationError } from '../../../core/errors/validation.error';
import { readXml } from '../../../connectors/shared/safe-xml';
import { el, leaf, renderXml } from '../../../connectors/shared/xml-writer';

describe('xml-writer', () => {
  it('escapes text and attributes so any value reads back exactly', () => {
    const value = `<tag> & "quotes" 'apos' \r\n\ttab 中文`;
    const body = renderXml(el('r', { a: value }, el('t', null, value), leaf('absent', undefined), leaf('empty', '')));
    const read = readXml(body);
    if (!read.ok) throw new Error(read.issues[0]?.message);
    expect(read.root.attr('a')).toBe(value);
    // Text is trimmed on reading, so only the inner part must survive.
    expect(read.root.textOf('t')).toBe(value.trim());
    expect(read.root.childNames()).toEqual(['t']);
  });

  it('refuses a character XML 1.0 cannot carry instead of writing a broken document', () => {
    expect(() => renderXml(el('r', null, 'bell \u0007'))).toThrow(ValidationError);
  });
});
