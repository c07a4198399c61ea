import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";

const SAMPLES = fileURLToPath(new URL("../../../../shared/data/imagenet-sample-images/", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const PUG = "n02110958";
/** Three photos uploaded as candidates of "pug": one pug, two dogs that are not pugs. */
const PHOTOS = {
  "n02110958_pug.JPEG": true,
  "n02108915_French_bulldog.JPEG": false,
  "n02112018_Pomeranian.JPEG": false,
};

describe("labelling in Chromium with the keyboard only", () => {
  let browser: Browser;
  const base = () => inject("arborBaseUrl");
  const asAdmin = (path: string, init: RequestInit = {}) =>
    fetch(`${base()}/api/v1${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${inject("arborUsers").admin.token}` },
    });

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("three annotators label a campaign until nothing is left, and the consensus decides every image", async () => {
    const form = new FormData();
    for (const name of Object.keys(PHOTOS)) form.append("files", new Blob([await readFile(`${SAMPLES}${name}`)]), name);
    const upload = await (await asAdmin(`/synsets/${PUG}/uploads`, { method: "POST", body: form })).json();
    for (let i = 0; i < 100; i++) {
      const run = await (await asAdmin(`/ingest-runs/${upload.runId}`)).json();
      if (run.status === "succeeded") break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const created = await asAdmin("/campaigns", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        wnid: PUG,
        policy: { seedSize: 3, seedVotes: 3, minVotes: 1, maxVotes: 3, taskSize: 4, goldRate: 0, target: 0.9 },
      }),
    });
    expect(created.status).toBe(201);
    const campaignId = (await created.json()).ids[0];
    const truth = new Map<number, boolean>();
    /** A thumbnail's bytes (sha256) → whether it shows a pug: tasks name no image, so the crowd knows them by sight. */
    const truthBySight = new Map<string, boolean>();
    const { items } = await (await fetch(`${base()}/api/v1/synsets/${PUG}/images?state=candidate`)).json();
    for (const item of items) {
      // Where an image came from (its locator) is for admins only.
      const detail = await (await asAdmin(`/images/${item.id}`)).json();
      const name = (detail.sources[0].locator as string).replace("upload:", "");
      const positive = PHOTOS[name as keyof typeof PHOTOS] ?? false;
      truth.set(item.id, positive);
      const thumbnail = Buffer.from(await (await fetch(`${base()}${item.thumbnailUrl}`)).arrayBuffer());
      truthBySight.set(createHash("sha256").update(thumbnail).digest("hex"), positive);
    }

    for (const [n, member] of inject("arborCrowd").entries()) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      await page.goto(`${base()}/login?next=/label`);
      await page.getByLabel("Email").fill(member.email);
      await page.getByLabel("Password").fill(member.password);
      await page.keyboard.press("Enter");
      await page.waitForURL("**/label");
      for (let task = 0; task < 10; task++) {
        const grid = page.locator(".label-grid");
        const nothing = page.getByRole("heading", { name: "Nothing to label right now" });
        await Promise.race([grid.waitFor(), nothing.waitFor()]);
        if (await nothing.isVisible()) break;
        // The grid's images come through the task (/tasks/{taskId}/images/{handle}), never by image id.
        const sources = await grid
          .locator("img")
          .evaluateAll((images) => images.map((img) => (img as HTMLImageElement).src));
        for (const src of sources) expect(src).toMatch(/\/api\/v1\/tasks\/[0-9a-f-]{36}\/images\/\d+$/);
        for (const [index, src] of sources.entries()) {
          const bytes = await (await context.request.get(src)).body();
          if (truthBySight.get(createHash("sha256").update(bytes).digest("hex"))) {
            await page.keyboard.press(String(index + 1));
          }
        }
        if (n === 0 && task === 0) await page.screenshot({ path: `${SCREENSHOTS}label.png` });
        await page.keyboard.press("Enter");
        await page.waitForTimeout(300);
      }
      await context.close();
    }

    const admin = inject("arborUsers").admin;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login?next=/campaigns/${campaignId}`);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/campaigns/${campaignId}`);
    await page.getByRole("table", { name: "Confidence table" }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}campaign.png`, fullPage: true });
    // An admin's header has eight nav links, the search box and the account: at 1280 px it wraps rather than
    // push "Sign out" past the window's edge, and the search box shrinks without running into the account.
    const box = async (locator: ReturnType<typeof page.locator>) => {
      const b = await locator.boundingBox();
      if (!b) throw new Error("not on screen");
      return { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height };
    };
    const signOut = await box(page.getByRole("button", { name: "Sign out" }));
    const search = await box(page.getByRole("button", { name: "Search" }));
    const account = await box(page.getByRole("link", { name: admin.email }));
    expect(signOut.right).toBeLessThanOrEqual(1280);
    const apart = search.right <= account.left || search.bottom <= account.top || account.bottom <= search.top;
    expect(apart, `search button ${JSON.stringify(search)} overlaps the account ${JSON.stringify(account)}`).toBe(true);
    // A refused form keeps what was typed, and says why.
    await page.goto(`${base()}/campaigns`);
    await page.locator("input[name=wnid]").fill("n99999999");
    await page.getByRole("button", { name: "Start campaign" }).click();
    await page.locator(".error").waitFor();
    expect(await page.locator(".error").textContent()).toBe("no synset n99999999");
    expect(await page.locator("input[name=wnid]").inputValue()).toBe("n99999999");

    await page.goto(`${base()}/annotators`);
    expect(await page.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${SCREENSHOTS}annotators.png` });
    await context.close();

    const stats = await (await asAdmin(`/campaigns/${campaignId}`)).json();
    expect(stats.items.total).toBe(3);
    expect(stats.items.pending).toBe(0);
    expect(stats.seed.complete).toBe(true);
    for (const [id, positive] of truth) {
      const detail = await (await fetch(`${base()}/api/v1/images/${id}`)).json();
      const state = detail.synsets.find((s: { wnid: string }) => s.wnid === PUG)?.state;
      expect(state).toBe(positive ? "verified" : "rejected");
    }
  });
});
