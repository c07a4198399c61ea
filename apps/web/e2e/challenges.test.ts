import { readFileSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openApiDocument } from "../src/server/api/openapi-document";
import { launchChromium } from "./browser.ts";

/**
 * Issue 12's "done when", end to end: an admin hosts a challenge on a frozen CIFAR version's hidden test
 * split and another on the real ILSVRC-2012 validation ground truth; two participants sign up in Chromium,
 * join, download the test images, submit (good, malformed, over quota) and see public scores; a baseline from
 * the model registry is on the board; a crawl of every API route and page as a participant finds no test
 * label; when the phase ends the private board appears. Its own CIFAR classes (airplane, automobile, bird,
 * deer), which no other e2e file uses.
 */
const CIFAR = fileURLToPath(new URL("../../../../shared/data/cifar10-jpg/test/", import.meta.url));
const META = fileURLToPath(new URL("../../../../shared/data/imagenet-meta/", import.meta.url));
const CLASSES = { airplane: "n02691156", automobile: "n02958343", bird: "n01503061", deer: "n02430045" } as const;
const WNIDS: string[] = Object.values(CLASSES);
const PER_CLASS = 6;
const TEST_PER_CLASS = 3;

const base = () => inject("arborBaseUrl");
type Auth = { token: string } | { cookie: string } | null;
const admin = (): Auth => ({ token: inject("arborUsers").admin.token });

function call(auth: Auth, route: string, init: { method?: string; body?: unknown; type?: string } = {}) {
  const raw = typeof init.body === "string";
  const headers: Record<string, string> = {};
  if (auth && "token" in auth) headers.authorization = `Bearer ${auth.token}`;
  if (auth && "cookie" in auth) {
    headers.cookie = auth.cookie;
    headers.origin = base();
  }
  if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
  return fetch(`${base()}${route.startsWith("/api/") || !route.startsWith("/") ? route : `/api/v1${route}`}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : raw ? (init.body as string) : JSON.stringify(init.body),
    redirect: "manual",
  });
}

async function json(auth: Auth, route: string, init: { method?: string; body?: unknown; type?: string } = {}) {
  const response = await call(auth, route, init);
  const text = await response.text();
  expect(
    response.status,
    `${init.method ?? (init.body === undefined ? "GET" : "POST")} ${route}: ${text}`,
  ).toBeLessThan(300);
  return JSON.parse(text);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within 60 s`);
}

/** A CSV submission: each test image's guesses, `right(i)` deciding whether image i gets its true class first. */
function csvSubmission(truth: [string, string][], right: (i: number) => boolean): string {
  const lines = truth.map(([id, wnid], i) => {
    const wrong = WNIDS.find((w) => w !== wnid) as string;
    return `${id},${right(i) ? wnid : wrong}`;
  });
  return `image_id,predictions\n${lines.join("\n")}\n`;
}

describe("challenges, end to end", () => {
  let browser: Browser;
  let versionId: number;
  let cifar: { challengeId: number; phaseId: number };
  let ilsvrc: { challengeId: number; phaseId: number };
  /** The hidden test split: image id → wnid (what no participant may learn). */
  const truth = new Map<string, string>();
  const participants = [
    { email: "alice@challenge.test", password: "alice-password-1", name: "Alice", cookie: "" },
    { email: "bob@challenge.test", password: "bob-password-12", name: "Bob", cookie: "" },
  ];
  const submissionIds: number[] = [];
  let modelId: number;

  beforeAll(async () => {
    browser = await launchChromium();
    const folder = path.join(path.dirname(inject("arborIngestFolder")), "challenge-e2e");
    for (const [name, wnid] of Object.entries(CLASSES)) {
      await mkdir(path.join(folder, wnid), { recursive: true });
      for (let i = 0; i < PER_CLASS; i++) {
        const file = `${String(i + 200).padStart(4, "0")}.jpg`;
        await copyFile(path.join(CIFAR, name, file), path.join(folder, wnid, file));
      }
    }
    const started = await json(admin(), "/ingest-runs", { body: { kind: "folder", path: folder, trusted: true } });
    const run = await until("the ingest", async () => {
      const r = await json(admin(), `/ingest-runs/${started.runId}`);
      return ["succeeded", "failed"].includes(r.status) ? r : undefined;
    });
    expect(run).toMatchObject({ status: "succeeded", added: WNIDS.length * PER_CLASS });
    const version = await json(admin(), "/datasets?wait=60", {
      body: {
        name: "e2e-challenge-cifar4",
        classes: { kind: "wnids", wnids: WNIDS },
        splits: { mode: "counts", val: 1, test: TEST_PER_CLASS },
      },
    });
    versionId = version.versionId;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lets an admin host a challenge on a frozen version's hidden test split", async () => {
    const challenge = await json(admin(), "/challenges", {
      body: {
        title: "CIFAR-4 e2e challenge",
        description: "# Rules\n\n- **No** hand labelling.\n- One account per person.\n\n<script>alert(1)</script>",
        teamSizeLimit: 2,
      },
    });
    const now = Date.now();
    const phase = await json(admin(), `/challenges/${challenge.id}/phases`, {
      body: {
        name: "test",
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 24 * 3_600_000).toISOString(),
        dailyQuota: 2,
        totalQuota: 10,
        publicFraction: 0.5,
        publicSeed: "e2e",
        truth: { kind: "version", versionId, split: "test" },
      },
    });
    expect(phase).toMatchObject({ images: WNIDS.length * TEST_PER_CLASS, classes: WNIDS.length });
    cifar = { challengeId: challenge.id, phaseId: phase.id };
    // The host knows the labels: its own view of each test image.
    const listing = await json(admin(), `/phases/${phase.id}/test-images`);
    expect(listing.images).toHaveLength(WNIDS.length * TEST_PER_CLASS);
    for (const { imageId } of listing.images) {
      const detail = await json(admin(), `/images/${imageId}`);
      truth.set(String(imageId), detail.synsets[0].wnid);
    }
    expect(new Set(truth.values())).toEqual(new Set(WNIDS));
  });

  it("imports the real ILSVRC-2012 validation ground truth as a second challenge", async () => {
    const challenge = await json(admin(), "/challenges", { body: { title: "ILSVRC-2012 validation (e2e)" } });
    const phase = await json(admin(), `/challenges/${challenge.id}/phases`, {
      body: {
        name: "val",
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 24 * 3_600_000).toISOString(),
        truth: {
          kind: "upload",
          format: "devkit",
          text: readFileSync(path.join(META, "ILSVRC2012_validation_ground_truth.txt"), "utf8"),
          classList: readFileSync(path.join(META, "map_clsloc.txt"), "utf8"),
        },
      },
    });
    expect(phase).toMatchObject({ images: 50_000, classes: 1000 });
    ilsvrc = { challengeId: challenge.id, phaseId: phase.id };
  });

  it("signs two participants up in Chromium; they accept the rules, join, and download the test images", async () => {
    for (const person of participants) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base()}/signup`);
      await page.getByLabel("Email").fill(person.email);
      await page.getByLabel("Name").fill(person.name);
      await page.getByLabel("Password").fill(person.password);
      await page.getByRole("button", { name: /create account/i }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/signup"));
      await page.goto(`${base()}/challenges/${cifar.challengeId}`);
      // The description is rendered, its script tag inert text.
      await expect.poll(() => page.locator("main strong", { hasText: "No" }).count()).toBe(1);
      expect(await page.getByText("<script>alert(1)</script>").count()).toBe(1);
      expect(await page.locator("main script").count()).toBe(0);
      await page.getByRole("button", { name: /join/i }).click();
      // Refused until the rules are accepted.
      await page.getByLabel(/accept the rules/i).check();
      await page.getByRole("button", { name: /join/i }).click();
      await expect.poll(() => page.getByText(/your team/i).count()).toBeGreaterThan(0);
      const cookies = await context.cookies();
      person.cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      await context.close();
    }
    const me = await json({ cookie: participants[0]?.cookie ?? "" }, "/auth/me");
    expect(me.user.roles).toEqual(["participant"]);
    // The test images without labels, in the published order with their ids.
    const listing = await call(
      { cookie: participants[0]?.cookie ?? "" },
      `/phases/${cifar.phaseId}/test-images?format=csv`,
    );
    const csv = await listing.text();
    expect(csv.split("\n")[0]).toBe("position,image_id");
    expect(csv).not.toMatch(/n0\d{7}/);
    const archive = await call(
      { cookie: participants[0]?.cookie ?? "" },
      `/phases/${cifar.phaseId}/test-images/archive`,
    );
    expect(archive.status).toBe(200);
    const tar = Buffer.from(await archive.arrayBuffer());
    expect(tar.includes(Buffer.from("test-images.csv"))).toBe(true);
    for (const id of truth.keys()) expect(tar.includes(Buffer.from(`-${id}.jpg`))).toBe(true);
    expect(tar.toString("latin1")).not.toMatch(/n0\d{7}/);
  });

  it("takes a good file, refuses a malformed one without using quota, and stops at the daily quota", async () => {
    const alice = participants[0] as (typeof participants)[0];
    const pairs = [...truth.entries()];
    const context = await browser.newContext();
    await context.addCookies(
      alice.cookie.split("; ").map((c) => {
        const [name, value] = c.split("=") as [string, string];
        return { name, value, url: base() };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${base()}/challenges/${cifar.challengeId}/phases/${cifar.phaseId}`);
    const upload = async (name: string, text: string, how: "drop" | "pick" = "pick") => {
      if (how === "pick") {
        await page.getByLabel("Choose a predictions file").setInputFiles({
          name,
          mimeType: "text/plain",
          buffer: Buffer.from(text),
        });
      } else {
        // A real drop event carrying the file, as a person dragging it from their desktop makes.
        const dataTransfer = await page.evaluateHandle(
          ([fileName, content]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([content as string], fileName as string, { type: "text/plain" }));
            return transfer;
          },
          [name, text],
        );
        await page.dispatchEvent(".drop-zone", "drop", { dataTransfer });
      }
      await expect.poll(() => page.locator(".drop-zone").textContent()).toContain(name);
      await page.getByRole("button", { name: /^submit$/i }).click();
    };
    const refusal = () => page.locator(".submit-error").textContent();
    await upload("malformed.csv", "image_id,predictions\nnot-an-image,n02691156\n");
    await expect.poll(refusal).toMatch(/line 2/);
    await upload(
      "good.csv",
      csvSubmission(pairs, () => true),
      "drop",
    );
    await expect.poll(() => page.locator(".submission-scored").count(), { timeout: 30_000 }).toBe(1);
    await upload(
      "half.csv",
      csvSubmission(pairs, (i) => i % 2 === 0),
    );
    await expect.poll(() => page.locator(".submission-scored").count(), { timeout: 30_000 }).toBe(2);
    await upload(
      "third.csv",
      csvSubmission(pairs, (i) => i % 3 === 0),
    );
    await expect.poll(refusal).toMatch(/next slot opens/i);
    await page.screenshot({ path: path.join(inject("arborExportRoot"), "challenge-phase.png"), fullPage: true });
    await context.close();

    const mine = await json({ cookie: alice.cookie }, `/phases/${cifar.phaseId}/submissions`);
    expect(mine.submissions.filter((s: { status: string }) => s.status === "scored")).toHaveLength(2);
    expect(mine.quota.remainingToday).toBe(0);
    expect(mine.quota.failuresToday).toBe(1);
    for (const s of mine.submissions) expect(s.privateScores).toBeNull();
    submissionIds.push(...mine.submissions.map((s: { id: number }) => s.id));

    // Bob submits over REST: a malformed devkit file gets its line and what was expected; the good one scores.
    const bob = { cookie: participants[1]?.cookie ?? "" };
    const bad = await call(bob, `/phases/${cifar.phaseId}/submissions?format=devkit`, {
      body: "1 2 3 4 5 6\n",
      type: "text/plain",
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/line 1/);
    const good = await json(bob, `/phases/${cifar.phaseId}/submissions?format=csv`, {
      // Right on one image only: wrong on most of whichever half is public, so Bob ranks below Alice on
      // both boards whatever the seeded split (it is keyed by image ids, which vary from run to run).
      body: csvSubmission(pairs, (i) => i === 0),
      type: "text/plain",
    });
    expect(good).toMatchObject({ duplicate: false });
    submissionIds.push(good.id);
    await until("bob's submission scored", async () => {
      const list = await json(bob, `/phases/${cifar.phaseId}/submissions`);
      return list.submissions.every((s: { status: string }) => s.status !== "queued" && s.status !== "scoring")
        ? list
        : undefined;
    });
  });

  it("shows a baseline from the model registry on the board, unranked", async () => {
    const model = await json(admin(), "/models", {
      body: { name: "e2e-baseline-resnet20", architecture: "resnet20", metrics: {}, curve: [], classes: WNIDS },
    });
    modelId = model.id;
    const lines = [...truth.entries()].map(([imageId, wnid], i) =>
      JSON.stringify({ imageId, wnids: i % 2 === 0 ? [wnid] : WNIDS.filter((w) => w !== wnid) }),
    );
    await json(admin(), `/phases/${cifar.phaseId}/baselines`, {
      body: { modelId, format: "jsonl", content: `${lines.join("\n")}\n` },
    });
    const board = await until("the baseline on the board", async () => {
      const b = await json(null, `/phases/${cifar.phaseId}/leaderboard`);
      return b.entries.some((e: { baseline: boolean }) => e.baseline) ? b : undefined;
    });
    expect(board.scope).toBe("public");
    const ranked = board.entries.filter((e: { baseline: boolean }) => !e.baseline);
    expect(ranked.map((e: { team: string; rank: number }) => [e.team, e.rank])).toEqual([
      ["Alice", 1],
      ["Bob", 2],
    ]);
    expect(board.entries.find((e: { baseline: boolean }) => e.baseline)).toMatchObject({ rank: null });
    expect(JSON.stringify(board)).not.toMatch(/private/i);
  });

  it("lets a participant crawl every API route and page without finding a test label", async () => {
    const alice = { cookie: participants[0]?.cookie ?? "" };
    const leaks: string[] = [];
    const pairs = [...truth.entries()];
    const check = (url: string, type: string, body: string) => {
      for (const [id, wnid] of pairs) {
        if (!body.includes(wnid)) continue;
        if (type.includes("json")) {
          if (new RegExp(`"(id|imageId|imageKey|image_id)":\\s*"?${id}"?[,}\\]]`).test(body))
            leaks.push(`${url}: image ${id} with ${wnid}`);
        } else if (type.includes("html")) {
          if (new RegExp(`/images/${id}["/?]`).test(body)) leaks.push(`${url}: image ${id} with ${wnid}`);
        } else if (body.split("\n").some((line) => new RegExp(`\\b${id}\\b`).test(line) && line.includes(wnid))) {
          leaks.push(`${url}: image ${id} with ${wnid}`);
        }
      }
    };
    const ids = new Set<string>([
      ...truth.keys(),
      String(cifar.challengeId),
      String(cifar.phaseId),
      String(ilsvrc.challengeId),
      String(versionId),
      String(modelId),
      ...submissionIds.map(String),
    ]);
    const urls = new Set<string>();
    for (const [template, ops] of Object.entries(openApiDocument().paths)) {
      if (!("get" in (ops as object)) || template.includes("{key}")) continue;
      const variants = [template];
      const expand = (name: string, values: string[]) => {
        for (const v of [...variants]) {
          if (!v.includes(`{${name}}`)) continue;
          variants.splice(variants.indexOf(v), 1, ...values.map((x) => v.replace(`{${name}}`, x)));
        }
      };
      expand("id", [...ids]);
      expand("wnid", [...WNIDS, "n00001740"]);
      expand(
        "position",
        Array.from({ length: truth.size + 1 }, (_, i) => String(i + 1)),
      );
      expand("taskId", ["00000000-0000-4000-8000-000000000000"]);
      expand("name", ["model.json"]);
      for (const v of variants) urls.add(`/api/v1${v}`);
    }
    for (const wnid of WNIDS) {
      urls.add(`/api/v1/synsets/${wnid}/images?limit=200`);
      urls.add(`/api/v1/synsets/${wnid}/images?limit=200&state=verified`);
      urls.add(`/synsets/${wnid}`);
    }
    for (const q of ["airplane", "automobile", "bird", "deer", ...WNIDS]) {
      urls.add(`/api/v1/synsets/search?q=${q}`);
      urls.add(`/search?q=${q}`);
    }
    for (const id of ids) urls.add(`/images/${id}`);
    for (const page of ["/", "/challenges", `/challenges/${cifar.challengeId}`, "/datasets", "/models", "/account"])
      urls.add(page);
    urls.add(`/challenges/${cifar.challengeId}/phases/${cifar.phaseId}`);
    urls.add(`/challenges/${cifar.challengeId}/host`);
    urls.add(`/datasets/${versionId}`);
    urls.add(`/models/${modelId}`);
    urls.add(`/api/v1/phases/${cifar.phaseId}/leaderboard?format=csv`);
    urls.add(`/api/v1/phases/${cifar.phaseId}/test-images?format=csv`);
    // The detector finds a label where one is shown: the host's own view of a test image and the synset page.
    const [someId, someWnid] = pairs[0] as [string, string];
    for (const url of [
      `/api/v1/images/${someId}`,
      `/images/${someId}`,
      `/api/v1/synsets/${someWnid}/images?limit=200`,
    ]) {
      const response = await call(admin(), url);
      check(url, response.headers.get("content-type") ?? "", await response.text());
    }
    expect(new Set(leaks.map((leak) => leak.split(": ")[0])).size).toBe(3);
    leaks.length = 0;
    let served = 0;
    for (const url of urls) {
      const response = await call(alice, url);
      expect(response.status, url).toBeLessThan(500);
      const type = response.headers.get("content-type") ?? "";
      if (type.startsWith("image/") || type.includes("x-tar") || type.includes("octet-stream")) {
        await response.body?.cancel();
        continue;
      }
      check(url, type, await response.text());
      served++;
    }
    expect(served).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  }, 300_000);

  it("reveals the private board when the phase ends, and keeps scoring late submissions apart", async () => {
    const before = await json({ cookie: participants[0]?.cookie ?? "" }, `/phases/${cifar.phaseId}/submissions`);
    expect(before.submissions.every((s: { privateScores: unknown }) => s.privateScores === null)).toBe(true);
    await json(admin(), `/phases/${cifar.phaseId}`, { method: "PATCH", body: { endsAt: "now" } });
    const board = await json(null, `/phases/${cifar.phaseId}/leaderboard`);
    expect(board).toMatchObject({ ended: true, scope: "private" });
    expect(
      board.entries.filter((e: { baseline: boolean }) => !e.baseline).map((e: { team: string }) => e.team),
    ).toEqual(["Alice", "Bob"]);
    const after = await json({ cookie: participants[0]?.cookie ?? "" }, `/phases/${cifar.phaseId}/submissions`);
    expect(after.submissions.some((s: { privateScores: unknown }) => s.privateScores !== null)).toBe(true);
    const csv = await (await call(null, `/phases/${cifar.phaseId}/leaderboard?format=csv`)).text();
    expect(csv.split("\n")[0]).toMatch(/^rank,team/);

    // A late file is scored for the post-challenge board; the final ranking stays as it was.
    const bob = { cookie: participants[1]?.cookie ?? "" };
    const late = await json(bob, `/phases/${cifar.phaseId}/submissions?format=csv`, {
      body: csvSubmission([...truth.entries()], () => true),
      type: "text/plain",
    });
    const post = await until("the late submission on the post-challenge board", async () => {
      const b = await json(null, `/phases/${cifar.phaseId}/leaderboard?board=post-challenge`);
      return b.entries.some((e: { submissionId: number }) => e.submissionId === late.id) ? b : undefined;
    });
    expect(post.entries.find((e: { team: string }) => e.team === "Bob")).toMatchObject({ rank: 1 });
    const final = await json(null, `/phases/${cifar.phaseId}/leaderboard`);
    expect(final.entries).toEqual(board.entries);

    const page = await browser.newPage();
    await page.goto(`${base()}/challenges/${cifar.challengeId}/phases/${cifar.phaseId}`);
    await expect.poll(() => page.getByText(/private/i).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(inject("arborExportRoot"), "challenge-final.png"), fullPage: true });
    await page.close();
  });

  it("scores a 50,000-line devkit submission against the ILSVRC-2012 truth", async () => {
    const bob = { cookie: participants[1]?.cookie ?? "" };
    await json(bob, `/challenges/${ilsvrc.challengeId}/join`, { body: { acceptRules: true } });
    const gt = readFileSync(path.join(META, "ILSVRC2012_validation_ground_truth.txt"), "utf8").trim().split("\n");
    // Right on the first 40,000 images, wrong on the rest: top-5 error 0.2 over the whole set.
    const lines = gt.map((c, i) => (i < 40_000 ? c : String((Number(c) % 1000) + 1)));
    const accepted = await json(bob, `/phases/${ilsvrc.phaseId}/submissions?format=devkit`, {
      body: `${lines.join("\n")}\n`,
      type: "text/plain",
    });
    const scored = await until("the ILSVRC submission scored", async () => {
      const list = await json(bob, `/phases/${ilsvrc.phaseId}/submissions`);
      const s = list.submissions.find((x: { id: number }) => x.id === accepted.id);
      return s.status === "scored" || s.status === "failed" ? s : undefined;
    });
    expect(scored.status).toBe("scored");
    expect(scored.publicScores.top5).toBeGreaterThan(0.1);
    expect(scored.publicScores.top5).toBeLessThan(0.3);
  }, 120_000);
});
