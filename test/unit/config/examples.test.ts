import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../config/load-config';
import { loadReferenceFile, type ReferenceKind } from '../../../config/reference-data';

const root = join(__dirname, '../../..');
const files = ['config/hub.yaml', ...readdirSync(join(root, 'config/examples')).filter((name) => name.endsWith('.yaml')).map((name) => `config/examples/${name}`)];
const env = {
  MONGO_URL: 'mongodb://db-1,db-2,db-3/hub?replicaSet=rs0',
  REDIS_URL: 'redis://cache:6379',
  ERP_WEBHOOK_SECRET: 'whsec_ZXJwLXRlc3Qtc2VjcmV0',
  WMS_WEBHOOK_SECRET: 'whsec_d21zLXRlc3Qtc2VjcmV0',
};

describe('the shipped config files', () => {
  it('include the default and the examples', () => {
    expect(files).toEqual(expect.arrayContaining(['config/hub.yaml', 'config/examples/minimal.yaml', 'config/examples/production-mongo.yaml']));
  });

  describe.each(files)('%s', (file) => {
    it('loads with the documented environment', () => {
      expect(() => loadConfig(join(root, file), env)).not.toThrow();
    });

    // Relative paths in config resolve against the working directory: the repository root for `npm start`.
    it('names reference data files that parse', () => {
      const config = loadConfig(join(root, file), env);
      for (const [kind, path] of Object.entries(config.referenceData)) {
        if (path) expect(loadReferenceFile(kind as ReferenceKind, join(root, path)).length).toBeGreaterThan(0);
      }
    });
  });

  it('hub.yaml works without any environment: the demo receiver secret has a default', () => {
    const config = loadConfig(join(root, 'config/hub.yaml'), {});
    expect(config.connectors.find((c) => c.id === 'local-receiver')).toMatchObject({ secret: 'whsec_ZGVtby1yZWNlaXZlci1zZWNyZXQtMzItYnl0ZXMhIQ==' });
    expect(config.auth.apiKeys).toEqual([expect.objectContaining({ name: 'demo-admin', role: 'admin' })]);
  });
});
