import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import madge from 'madge';

const ROOT = resolve(__dirname, '../..');

/** Which top-level folders each folder may import from (CONVENTIONS.md §1). */
const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  connectors: ['core', 'connectors'],
  config: ['core', 'config', 'connectors'],
  pipelines: ['core', 'connectors', 'config', 'pipelines'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
}

describe('module boundaries', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.join(', ')}`, () => {
      const violations = sourceFiles(join(ROOT, folder)).flatMap((file) =>
        relativeImports(file)
          .map((spec) => relative(ROOT, resolve(dirname(file), spec)).split('/')[0]!)
          .filter((top) => !allowed.includes(top))
          .map((top) => `${relative(ROOT, file)} imports from ${top}/`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('has no circular imports', async () => {
    const graph = await madge(['core', 'connectors', 'config', 'pipelines'].map((d) => join(ROOT, d)), {
      fileExtensions: ['ts'],
      tsConfig: join(ROOT, 'tsconfig.json'),
      detectiveOptions: { ts: { skipTypeImports: true } },
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(50);
    expect(graph.circular()).toEqual([]);
  }, 60_000);
});
