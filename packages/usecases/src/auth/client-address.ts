import { isIPv4, isIPv6 } from "node:net";
import { usecasesEnv } from "../env.ts";

/**
 * The caller's address for the sign-in throttle, from the `X-Forwarded-For` header the route handler sees.
 *
 * Next's `next start` (16.x, base-server.js) fills `X-Forwarded-For` with the socket's address only when the
 * request has none (`??=`), and never appends: on a direct connection the header is the peer's address, or
 * whatever the client sent in its place. A reverse proxy that appends (nginx's `$proxy_add_x_forwarded_for`,
 * most load balancers) puts the address it saw at the right end. So the one entry to trust is the one the
 * outermost trusted proxy wrote: the `hops`-th from the right (`ARBOR_TRUSTED_PROXY_HOPS`; 0 and 1 both
 * read the rightmost entry). Entries left of it are the client's claims and are never read.
 *
 * With no proxy (hops 0) and a client that sends its own header, the address is the client's claim: the
 * per-address limit then binds only honest clients, while the per-account limit and the scrypt gate bind
 * everyone. Put Arbor behind a proxy that appends (or overwrites) the header when it faces the internet.
 *
 * IPv6 addresses are keyed by their /64 (one host usually holds a whole /64); IPv4-mapped IPv6 is IPv4. An
 * entry that is not an address is `"invalid"`, one shared key, so made-up values gain nothing.
 */
export function clientAddress(
  forwardedFor: string | null | undefined,
  trustedProxyHops = usecasesEnv().trustedProxyHops,
): string | undefined {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  const index = Math.max(0, entries.length - Math.max(1, trustedProxyHops));
  return normaliseAddress(entries[index] as string);
}

/** An address as a throttle key: IPv4 as is, IPv6 as its /64, anything else "invalid". */
export function normaliseAddress(entry: string): string {
  let value = entry.trim();
  // "[v6]:port", "[v6]", "v4:port"
  const bracketed = value.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (bracketed) value = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  value = value.replace(/%.*$/, ""); // an IPv6 zone ("fe80::1%eth0")
  if (isIPv4(value)) return value;
  if (!isIPv6(value)) return "invalid";
  const groups = expandIPv6(value);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [a, b] = [groups[6] as number, groups[7] as number];
    return [a >> 8, a & 0xff, b >> 8, b & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" expanded, a trailing dotted quad converted). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const quad = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array(missing).fill("0"), ...right].map((group) => Number.parseInt(group, 16));
}
