import { describe, expect, inject, it } from "vitest";

const base = () => inject("arborBaseUrl");

async function signIn(role: "annotator" | "researcher" | "admin"): Promise<string> {
  const user = inject("arborUsers")[role];
  const response = await fetch(`${base()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base() },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  expect(response.status).toBe(200);
  return (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
}

describe("security headers", () => {
  it("gives pages a nonce'd CSP that forbids framing, and the other headers", async () => {
    const first = await fetch(`${base()}/login`);
    const second = await fetch(`${base()}/login`);
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    // A fresh nonce per request, and the page's scripts carry it.
    expect(second.headers.get("content-security-policy")).not.toBe(csp);
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1] as string;
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });

  it("gives API answers a CSP that runs nothing, nosniff and no framing", async () => {
    for (const path of ["/api/v1/health", "/api/v1/synsets/n99999999", "/api/v1/openapi.json"]) {
      const response = await fetch(`${base()}${path}`);
      expect(response.headers.get("content-security-policy"), path).toContain("default-src 'none'");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
  });
});

describe("pages opened with the wrong role", () => {
  it("answer 403 with a page that says so (they answered 500)", async () => {
    const cookie = await signIn("annotator");
    for (const path of ["/campaigns", "/datasets", "/models", "/ingest", "/annotators"]) {
      const response = await fetch(`${base()}${path}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toContain("Not for your role");
    }
  });

  it("send anonymous visitors to sign in", async () => {
    const response = await fetch(`${base()}/campaigns`, { redirect: "manual" });
    expect([303, 307, 308]).toContain(response.status);
    expect(response.headers.get("location")).toContain("/login?next=%2Fcampaigns");
  });
});
