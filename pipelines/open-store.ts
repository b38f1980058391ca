import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HubStore } from '../core/store/store.port';
import { openMongoStore } from '../core/store/mongo/mongo-store';
import { openSqliteStore } from '../core/store/sqlite/sqlite-store';
import type { HubConfig } from '../config/hub.schema';

export async function openStore(config: HubConfig['store']): Promise<HubStore> {
  if (config.kind === 'mongo') return openMongoStore({ url: config.url });
  const path = resolve(config.path);
  mkdirSync(dirname(path), { recursive: true });
  return openSqliteStore({ path });
}
