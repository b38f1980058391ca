import pino from 'pino';
import { HubError } from '../../../core/errors/hub-error';
import { createJsonataMapper, InvalidMappingError, MAPPED_JSON_FORMAT, MappingError } from '../../../connectors/rest-api/jsonata.mapper';
import { restApiConnector } from '../../../connectors/rest-api/rest-api.connector';
import { restApiConfig } from '../../../connectors/rest-api/rest-api.config';

const deps = { log: pino({ level: 'silent' }) };

describe('rest-api connector', () => {
  describe('when the mapping compiles', () => {
    it('builds a connector whose mapper turns the documented example into a draft', async () => {
      const example = (restApiConfig.shape.mapping.meta()?.examples as string[])[0]!;
      const connector = restApiConnector.create(restApiConfig.parse({ id: 'acme', kind: 'rest-api', mapping: example }), deps);
      expect(connector).toMatchObject({ id: 'acme', kind: 'rest-api', mapper: { format: MAPPED_JSON_FORMAT } });
      const draft = await connector.mapper!.map({ buyer: 'Acme', cur: 'CNY', items: [{ code: 'P-1', qty: 3, price: 12.5 }] });
      // A one-item list stays an array because the example wraps the path in [ ].
      expect(draft).toEqual({ customer: { name: 'Acme' }, currency: 'CNY', lines: [{ lineNo: 1, sku: 'P-1', quantity: '3', unitPrice: '12.5' }] });
    });
  });

  describe('when the mapping does not compile', () => {
    it('fails at create time, naming the connector and the position', () => {
      const config = restApiConfig.parse({ id: 'broken-partner', kind: 'rest-api', mapping: '{ "customer": ' });
      let thrown: unknown;
      try {
        restApiConnector.create(config, deps);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(InvalidMappingError);
      expect((thrown as HubError).code).toBe('connector.invalid_mapping');
      expect((thrown as Error).message).toMatch(/connector "broken-partner".*position \d+/);
    });
  });

  describe('when an evaluation runs away', () => {
    it('stops it and reports a MappingError instead of holding the request', async () => {
      const mapper = createJsonataMapper('loop', '( $f := function($n) { $f($n + 1) }; $f(0) )');
      await expect(mapper.map({})).rejects.toBeInstanceOf(MappingError);
      await expect(mapper.map({})).rejects.toMatchObject({ code: 'mapping.failed', details: [{ code: expect.stringMatching(/^D101[12]$/) }] });
    });
  });
});
