import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** The text of a mapping key (`levle` in `levle: info`). */
export function keyOf(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

export function startOf(node: unknown): number {
  return (node as Node | null)?.range?.[0] ?? 0;
}

/**
 * Source offset for a value path such as `['connectors', 1, 'secret']`: the key of the last mapping
 * entry found, or the list item. When the path goes further than the file (a required key left out),
 * the deepest existing parent answers and `complete` is false.
 */
export function locate(doc: Document, path: readonly PropertyKey[]): { offset: number; complete: boolean } {
  let node: unknown = doc.contents;
  let offset = startOf(node);
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyOf(item.key) === String(segment));
      if (!pair) return { offset, complete: false };
      offset = startOf(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = startOf(node);
    } else {
      return { offset, complete: false };
    }
  }
  return { offset, complete: true };
}
