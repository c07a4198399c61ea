/**
 * Where to go after signing in: `next` when it is a path on this site, "/" otherwise. Used on the server (the
 * login page) and in the browser (the credentials form), so both agree.
 *
 * Browsers are lenient in ways a prefix check misses: they drop tabs and newlines inside a URL ("/\t/evil" is
 * "//evil"), read a backslash as a slash ("/\evil"), and take "//host" as another site; a decoded query
 * parameter can carry any of these, and a percent-encoded one may be decoded again on the way. So: refuse
 * control characters and backslashes in `next` and in every decoding of it, refuse anything that does not
 * start with a single "/", then let the URL parser (the same WHATWG one browsers use) resolve it against a
 * placeholder origin and keep it only if it stayed there, as the path, query and fragment it parsed to.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2000) return "/";
  let decoded = next;
  for (let round = 0; round < 4; round++) {
    if (hasUnsafeCharacter(decoded) || !decoded.startsWith("/") || decoded.startsWith("//")) return "/";
    let again: string;
    try {
      again = decodeURIComponent(decoded);
    } catch {
      return "/"; // a malformed escape: not a path anyone typed
    }
    if (again === decoded) break;
    decoded = again;
  }
  const base = "http://next.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** C0 controls (tab, CR, LF…), DEL, and the backslash browsers read as a slash. */
function hasUnsafeCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}
