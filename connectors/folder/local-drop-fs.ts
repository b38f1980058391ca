import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DropEntry, DropFs } from './drop-fs';

/**
 * A file drop in a local (or mounted) directory. `rename` checks the target first instead of
 * using link(2)+unlink(2), because SMB and some NFS mounts, where drop folders often live, lack
 * hard links; the check-then-rename gap is harmless since the connector is the only writer of
 * the names it moves to (time-stamped archive names, its own outbox documents).
 */
export function localDropFs(): DropFs {
  return {
    async list(dir) {
      const entries = await readdir(dir, { withFileTypes: true });
      const files = entries.filter((entry) => entry.isFile());
      const facts = await Promise.all(files.map((entry) => statFile(join(dir, entry.name), entry.name)));
      // A file removed between readdir and stat is simply not there any more.
      return facts.filter((fact): fact is DropEntry => fact !== undefined);
    },
    async stat(path) {
      return statFile(path, basename(path));
    },
    async read(path) {
      return readFile(path);
    },
    async write(path, body) {
      await writeFile(path, body);
    },
    async rename(from, to) {
      if ((await statFile(to, basename(to))) !== undefined) throw Object.assign(new Error(`${to} already exists`), { code: 'EEXIST' });
      await rename(from, to);
    },
    async remove(path) {
      await rm(path, { force: true });
    },
    async ensureDir(dir) {
      await mkdir(dir, { recursive: true });
    },
    join,
    async close() {},
  };
}

async function statFile(path: string, name: string): Promise<DropEntry | undefined> {
  try {
    const facts = await stat(path);
    return facts.isFile() ? { name, size: facts.size, modifiedMs: facts.mtimeMs } : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
