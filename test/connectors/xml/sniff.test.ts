import { cxmlOrderParser } from '../../../connectors/cxml/cxml-order.parser';
import { idocOrders05Parser } from '../../../connectors/idoc/idoc-orders05.parser';
import { ublOrderParser } from '../../../connectors/ubl/ubl-order.parser';
import { xmlFixtures } from './xml-fixtures';

const parsers = { cxml: cxmlOrderParser, ubl: ublOrderParser, idoc: idocOrders05Parser };

describe('XML format sniffing', () => {
  describe.each(Object.keys(parsers) as (keyof typeof parsers)[])('%s fixtures', (kind) => {
    it.each(xmlFixtures(kind).map((f) => [f.name, f.body] as const))('%s is claimed by its own parser only', (_name, body) => {
      const claimedBy = Object.entries(parsers)
        .filter(([, parser]) => parser.sniff(body))
        .map(([k]) => k);
      expect(claimedBy).toEqual([kind]);
    });
  });

  it('claims a UTF-16 cXML document by its byte-order mark', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><cXML><Request><OrderRequest/></Request></cXML>', 'utf16le')]);
    expect(cxmlOrderParser.sniff(body)).toBe(true);
  });
});
