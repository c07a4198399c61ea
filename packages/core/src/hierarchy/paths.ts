/**
 * All is-a paths from a root down to `id`, each listed root first. WordNet has synsets with two parents,
 * so there can be several; `limit` bounds the answer for pathological inputs.
 */
export function pathsToRoot(id: number, parentsOf: (id: number) => readonly number[], limit = 64): number[][] {
  const paths: number[][] = [];
  const walk = (node: number, below: number[]): void => {
    if (paths.length >= limit) return;
    const path = [node, ...below];
    const parents = parentsOf(node);
    if (parents.length === 0) {
      paths.push(path);
      return;
    }
    for (const parent of parents) {
      if (below.includes(parent) || parent === node) continue; // defensive: never loop on bad data
      walk(parent, path);
    }
  };
  walk(id, []);
  return paths.sort((a, b) => a.length - b.length);
}
