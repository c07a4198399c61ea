import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress } from "./client-address.ts";

describe("clientAddress (X-Forwarded-For as next start and trusted proxies write it)", () => {
  it("reads what next start sets on a direct connection (the socket's address)", () => {
    expect(clientAddress("203.0.113.7", 0)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:203.0.113.7", 0)).toBe("203.0.113.7");
    expect(clientAddress(null, 0)).toBeUndefined();
    expect(clientAddress("", 0)).toBeUndefined();
  });

  it("reads the entry the outermost trusted proxy appended, never the client's claims left of it", () => {
    // The client sent "1.1.1.1"; one proxy appended the address it saw.
    expect(clientAddress("1.1.1.1, 198.51.100.4", 1)).toBe("198.51.100.4");
    expect(clientAddress("1.1.1.1, 198.51.100.4", 0)).toBe("198.51.100.4");
    // CDN appended the client, then the load balancer appended the CDN.
    expect(clientAddress("1.1.1.1, 198.51.100.4, 10.0.0.2", 2)).toBe("198.51.100.4");
    // Fewer entries than trusted hops: the leftmost there is.
    expect(clientAddress("198.51.100.4", 3)).toBe("198.51.100.4");
  });

  it("keys IPv6 by its /64 and anything that is not an address as one shared key", () => {
    expect(clientAddress("2001:db8:1:2:3:4:5:6", 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress("2001:db8:1:2::ffff", 0)).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
    expect(normaliseAddress("::1")).toBe("0:0:0:0::/64");
    expect(normaliseAddress("203.0.113.7:51000")).toBe("203.0.113.7");
    expect(normaliseAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(normaliseAddress("not-an-address")).toBe("invalid");
    expect(normaliseAddress("999.1.1.1")).toBe("invalid");
    expect(clientAddress("evil, nonsense", 0)).toBe("invalid");
  });
});
