import { availableParallelism } from "node:os";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";

/**
 * The security review's findings, over HTTP against the production build: sign-in throttling (per account,
 * per address, bounded scrypt), login CSRF, the open redirect after sign-in, API tokens (expiry, revocation,
 * blocking), the block endpoint's guards and the password rules.
 *
 * Only `arborAuthUsers` are locked out, blocked or unblocked here. Failures are sent with made-up
 * `X-Forwarded-For` addresses (the server, with no proxy in front, reads the rightmost entry), so the
 * per-address count of 127.0.0.1, which every other test signs in from, is left alone.
 */

const base = () => inject("arborBaseUrl");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  retryAfter: string | null;
  cookie: string | null;
  body: { user?: { id: number }; error?: { message: string } };
}

async function login(
  credentials: { email: string; password: string },
  options: { address?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${base()}/api/v1/auth/login`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: base(),
      ...(options.address ? { "x-forwarded-for": options.address } : {}),
      ...options.headers,
    },
    body: options.body ?? JSON.stringify(credentials),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    cookie: response.headers.get("set-cookie"),
    body: await response.json().catch(() => ({})),
  };
}

/** A signed-in session cookie ("arbor_session=…"). */
async function sessionOf(user: { email: string; password: string }): Promise<string> {
  const answer = await login(user);
  expect(answer.status).toBe(200);
  return (answer.cookie ?? "").split(";")[0] as string;
}

/** A request's method and body (headers come from `withCookie` or `withToken`). */
type Call = { method?: string; body?: string };

const api = (path: string, init: RequestInit = {}) => fetch(`${base()}/api/v1${path}`, init);
const withCookie = (cookie: string, call: Call = {}): RequestInit => ({
  ...call,
  headers: { cookie, origin: base(), "content-type": "application/json" },
});
const withToken = (token: string, call: Call = {}): RequestInit => ({
  ...call,
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
});

describe("sign-in throttling", () => {
  it("refuses the right password after 50 wrong ones, with 429 and Retry-After, until the backoff passes", async () => {
    const user = inject("arborAuthUsers")[0] as { email: string; password: string };
    const address = "203.0.113.10";
    const wrong = (i: number) => login({ email: user.email, password: `wrong-guess-${i}` }, { address });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await wrong(i)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Right after the fifth failure (the backoff starts at a second), the right password is refused unchecked.
    const early = await login(user, { address });
    expect(early.status).toBe(429);
    expect(early.cookie).toBeNull();
    expect(early.retryAfter).toBe("1");
    expect(early.body.error?.message).toBe("too many failed sign-ins: try again in 1 second");
    // 45 more wrong guesses back to back: the doubling backoff lets only a few be checked at all.
    const more: number[] = [];
    for (let i = 5; i < 50; i++) more.push((await wrong(i)).status);
    expect(more.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(more.filter((status) => status === 401).length).toBeLessThanOrEqual(4);

    // Once the wait is over the right password works, and the success clears the account's count.
    let answer = await login(user, { address });
    for (let i = 0; answer.status === 429 && i < 5; i++) {
      await sleep(Number(answer.retryAfter) * 1000 + 250);
      answer = await login(user, { address });
    }
    expect(answer.status).toBe(200);
    expect((await wrong(50)).status).toBe(401);
    expect((await login(user, { address })).status).toBe(200);
  });

  it("throttles an unknown email exactly like a known one (no account is revealed)", async () => {
    const address = "203.0.113.11";
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login({ email: "nobody@arbor.test", password: "whatever-pw" }, { address })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("limits failures per address across emails, reading only the entry the server side wrote", async () => {
    const address = "203.0.113.20";
    for (let i = 0; i < 20; i++) {
      expect((await login({ email: `spray${i}@arbor.test`, password: "Winter2026!" }, { address })).status).toBe(401);
    }
    const next = await login({ email: "spray-more@arbor.test", password: "Winter2026!" }, { address });
    expect(next.status).toBe(429);
    expect(Number(next.retryAfter)).toBeGreaterThanOrEqual(1);
    // A claim left of the address is ignored: still the same address.
    const claimed = await login(
      { email: "spray-claim@arbor.test", password: "Winter2026!" },
      { address: `198.51.100.1, ${address}` },
    );
    expect(claimed.status).toBe(429);
    // Another address is not affected.
    expect((await login({ email: "spray-other@arbor.test", password: "x" }, { address: "203.0.113.21" })).status).toBe(
      401,
    );
  });

  it("answers a flood of sign-ins with 429 at once when the password hashing is full, never a 5xx", async () => {
    const n = 8 * availableParallelism() + 32;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        login(
          { email: `flood${i}@arbor.test`, password: "not-the-password" },
          { address: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}` },
        ),
      ),
    );
    expect(answers.filter((a) => a.status !== 401 && a.status !== 429)).toEqual([]);
    const busy = answers.filter((a) => a.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.retryAfter).toBe("1");
    expect(busy[0]?.body.error?.message).toMatch(/busy/);
  });
});

describe("cross-site sign-in (login CSRF)", () => {
  it("refuses a foreign Origin with 403 and a body that is not JSON with 415, and sets no session", async () => {
    const user = inject("arborAuthUsers")[1] as { email: string; password: string };
    const json = JSON.stringify(user);
    const crossSite = await login(user, { headers: { origin: "https://evil.test", "content-type": "text/plain" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.cookie).toBeNull();
    expect((await login(user, { headers: { origin: "https://evil.test" } })).status).toBe(403);
    expect((await login(user, { headers: { origin: "null" } })).status).toBe(403);
    expect((await login(user, { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(403);
    const textPlain = await login(user, { headers: { "content-type": "text/plain" }, body: json });
    expect(textPlain.status).toBe(415);
    expect(textPlain.cookie).toBeNull();
    const form = await login(user, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `${json}=`,
    });
    expect(form.status).toBe(415);
    // The first-run setup refuses the same way, before it even says users exist.
    const setup = await fetch(`${base()}/api/v1/auth/setup`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "https://evil.test" },
      body: JSON.stringify({ email: "intruder@example.org", password: "long-enough-password" }),
    });
    expect(setup.status).toBe(403);
    // This site's own JSON sign-in still works.
    expect((await login(user)).status).toBe(200);
  });
});

describe("where sign-in goes next", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  for (const next of ["/%5Cevil.example/x", "/%09/evil.example", "//evil.example", "https://evil.example/"]) {
    it(`stays on this site for next=${next}`, async () => {
      const user = inject("arborAuthUsers")[1] as { email: string; password: string };
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base()}/login?next=${next}`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(user.password);
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.origin === base() && url.pathname === "/");
      expect(new URL(page.url()).origin).toBe(base());
      await context.close();
    });
  }

  it("still follows a path on this site", async () => {
    const user = inject("arborAuthUsers")[1] as { email: string; password: string };
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base()}/login?next=${encodeURIComponent("/account")}`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base()}/account`);
    // The account page: create a token (its secret shown once), see it listed, revoke it.
    await page.getByLabel("Name").fill("browser token");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token").textContent()) ?? "";
    expect(secret).toMatch(/^at_/);
    expect((await api("/auth/me", withToken(secret))).status).toBe(200);
    const row = page.getByRole("row").filter({ hasText: "browser token" });
    await row.waitFor();
    await row.getByRole("button", { name: "Revoke browser token" }).click();
    await page.getByRole("row").filter({ hasText: "browser token" }).filter({ hasText: "revoked" }).waitFor();
    expect((await api("/auth/me", withToken(secret))).status).toBe(401);
    await context.close();
  });
});

describe("API tokens", () => {
  it("are created from a session (shown once), listed, expire-dated and revoked; a token cannot mint tokens", async () => {
    const user = inject("arborAuthUsers")[1] as { email: string; password: string };
    const cookie = await sessionOf(user);
    const me = await (await api("/auth/me", { headers: { cookie } })).json();
    const created = await api(
      "/tokens",
      withCookie(cookie, { method: "POST", body: JSON.stringify({ name: "e2e laptop", expiresInDays: 30 }) }),
    );
    expect(created.status).toBe(201);
    const token = await created.json();
    expect(token).toMatchObject({ name: "e2e laptop", userId: me.user.id, state: "active" });
    expect(token.token).toMatch(/^at_/);
    expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await api("/auth/me", withToken(token.token))).status).toBe(200);

    const listed = await (await api("/tokens", { headers: { cookie } })).json();
    expect(listed.items.map((t: { id: number }) => t.id)).toContain(token.id);
    expect(JSON.stringify(listed)).not.toContain(token.token);

    // Minting with a token is refused; others' tokens are hidden from non-admins, shown to admins.
    const minted = await api("/tokens", withToken(token.token, { method: "POST", body: '{"name":"child"}' }));
    expect(minted.status).toBe(403);
    const annotator = inject("arborUsers").annotator.token;
    expect((await api(`/tokens?userId=${me.user.id}`, withToken(annotator))).status).toBe(403);
    expect((await api(`/tokens/${token.id}`, withToken(annotator, { method: "DELETE" }))).status).toBe(404);
    const admin = inject("arborUsers").admin.token;
    const theirs = await (await api(`/tokens?userId=${me.user.id}`, withToken(admin))).json();
    expect(theirs.items.map((t: { id: number }) => t.id)).toContain(token.id);

    const revoked = await api(`/tokens/${token.id}`, withCookie(cookie, { method: "DELETE" }));
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).state).toBe("revoked");
    expect((await api("/auth/me", withToken(token.token))).status).toBe(401);
  });

  it("die with their owner's blocking, and stay dead after unblocking", async () => {
    const user = inject("arborAuthUsers")[1] as { email: string; password: string };
    const cookie = await sessionOf(user);
    const me = await (await api("/auth/me", { headers: { cookie } })).json();
    const leaked = await (
      await api("/tokens", withCookie(cookie, { method: "POST", body: JSON.stringify({ name: "leaked" }) }))
    ).json();
    expect((await api("/auth/me", withToken(leaked.token))).status).toBe(200);

    const admin = inject("arborUsers").admin.token;
    const block = (blocked: boolean) =>
      api(`/annotators/${me.user.id}/block`, withToken(admin, { method: "POST", body: JSON.stringify({ blocked }) }));
    expect((await block(true)).status).toBe(200);
    expect((await api("/auth/me", withToken(leaked.token))).status).toBe(401);
    expect((await api("/auth/me", { headers: { cookie } })).status).toBe(401);
    expect((await login(user)).status).toBe(401);

    expect((await block(false)).status).toBe(200);
    expect((await api("/auth/me", withToken(leaked.token))).status).toBe(401);
    expect((await api("/auth/me", { headers: { cookie } })).status).toBe(401);
    const listed = await (await api(`/tokens?userId=${me.user.id}`, withToken(admin))).json();
    expect(listed.items.find((t: { id: number }) => t.id === leaked.id)?.state).toBe("revoked");
    // They may sign in again (and make new tokens).
    expect((await login(user)).status).toBe(200);
  });
});

describe("the block endpoint", () => {
  it("refuses an admin blocking themself, and the admin keeps working", async () => {
    const admin = inject("arborUsers").admin.token;
    const me = await (await api("/auth/me", withToken(admin))).json();
    const answer = await api(
      `/annotators/${me.user.id}/block`,
      withToken(admin, { method: "POST", body: JSON.stringify({ blocked: true }) }),
    );
    expect(answer.status).toBe(403);
    expect((await answer.json()).error.message).toMatch(/cannot block yourself/);
    expect((await api("/auth/me", withToken(admin))).status).toBe(200);
    // (Blocking the last unblocked admin is refused too, with 409: from the web the acting admin is always
    // another unblocked one, so it is tested at the use-case level and through the CLI.)
  });
});

describe("password rules", () => {
  it("refuses a weak first-run password with zxcvbn's advice (before saying that users exist)", async () => {
    const response = await fetch(`${base()}/api/v1/auth/setup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base() },
      body: JSON.stringify({ email: "intruder@example.org", password: "aaaaaaaaaa" }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^password: too easy to guess\. Repeated characters/);
  });
});
