/**
 * Groups images joined by near-duplicate pairs (transitively): a group must land in one split, or the same
 * photo would be trained on and tested on. Returns each image's group key — the smallest sha256 in its
 * group, so the key (and thus the group's rank) does not depend on the order pairs arrive in.
 */
export function nearDuplicateGroups(
  sha256s: readonly string[],
  pairs: Iterable<readonly [string, string]>,
): Map<string, string> {
  const parent = new Map<string, string>();
  for (const sha of sha256s) parent.set(sha, sha);
  const find = (sha: string): string => {
    let root = sha;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    // Path compression keeps later finds O(1)-ish on long chains.
    for (let node = sha; node !== root; ) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const [a, b] of pairs) {
    if (!parent.has(a) || !parent.has(b)) continue;
    const ra = find(a);
    const rb = find(b);
    // The smaller sha256 becomes the root, so a root is always its group's minimum.
    if (ra < rb) parent.set(rb, ra);
    else if (rb < ra) parent.set(ra, rb);
  }
  const groups = new Map<string, string>();
  for (const sha of sha256s) groups.set(sha, find(sha));
  return groups;
}
