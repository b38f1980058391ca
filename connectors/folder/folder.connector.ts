import { isAbsolute, resolve } from 'node:path';
import { FileDrop, fileDropConnector, type FileDropDefinition } from './file-drop';
import { folderConfig } from './folder.config';
import { localDropFs } from './local-drop-fs';

/** Documents dropped into a local or mounted directory: kept raw, then moved to done/ or failed/; answers go to outbox/. */
export const folderConnector: FileDropDefinition<typeof folderConfig> = {
  kind: 'folder',
  summary: 'Picks documents up from a local directory, keeps them raw, then moves them to done/ or failed/; writes outbound documents to outbox/.',
  config: folderConfig,
  create(config, deps) {
    const root = resolve(config.path);
    const drop = new FileDrop(localDropFs(), deps, {
      settings: config,
      resolve: (folder) => (isAbsolute(folder) ? folder : resolve(root, folder)),
      source: root,
    });
    return fileDropConnector('folder', config, drop, deps);
  },
};
