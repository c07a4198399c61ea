/** `SHA256SUMS` in coreutils' format (`sha256sum -c` reads it), sorted by path so it is reproducible. */
export function formatChecksums(entries: Iterable<{ path: string; sha256: string }>): string {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(({ path, sha256 }) => `${sha256}  ${path}\n`)
    .join("");
}

export function parseChecksums(text: string): Array<{ path: string; sha256: string }> {
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line, index) => {
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!match) throw new Error(`SHA256SUMS line ${index + 1} is malformed`);
      return { sha256: match[1] as string, path: match[2] as string };
    });
}
