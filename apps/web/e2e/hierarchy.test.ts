import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";

const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const SAMPLES = fileURLToPath(new URL("../../../../shared/data/imagenet-sample-images/", import.meta.url));
const DOG = "n02084071";
const CANINE = "n02083346";

describe("browsing the hierarchy in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const baseUrl = inject("arborBaseUrl");

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(() => browser?.close());

  it("walks from entity to dog by expanding the tree, then shows dog's breadcrumb", async () => {
    const dog = await (await fetch(`${baseUrl}/api/v1/synsets/${DOG}`)).json();
    const path: string[] = dog.paths.find((p: string[]) => p.includes(CANINE));

    await page.goto(`${baseUrl}/synsets`);
    let scope: Locator = page.getByRole("navigation", { name: "WordNet noun hierarchy" });
    for (const wnid of path.slice(0, -1)) {
      const item = scope.locator(`li[data-wnid="${wnid}"]`).first();
      const toggle = item.locator(":scope > .tree-row > button.toggle");
      if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
      await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("true");
      scope = item;
    }
    const dogRow = scope.locator(`li[data-wnid="${DOG}"] > .tree-row`).first();
    await dogRow.waitFor();
    expect(await dogRow.locator(".lemma").textContent()).toBe("dog");
    await page.screenshot({ path: `${SCREENSHOTS}tree-to-dog.png`, fullPage: false });

    await dogRow.locator(".lemma").click();
    await page.waitForURL(`**/synsets/${DOG}`);
    await expect.poll(() => page.locator("h1").first().textContent()).toBe("dog");
    const crumbs = await page.getByRole("navigation", { name: "Path to the root" }).allTextContents();
    const viaCanine = crumbs.find((text) => text.includes("canine"));
    expect(viaCanine).toBeDefined();
    expect(viaCanine).toMatch(/^entity/);
    await page.screenshot({ path: `${SCREENSHOTS}dog.png`, fullPage: true });
  });

  it("searches from the header and opens a synset", async () => {
    await page.goto(baseUrl);
    await page.getByRole("searchbox", { name: "Search synsets" }).fill("tabby");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/search?q=tabby");
    const first = page.locator(".results li a").first();
    expect(await first.textContent()).toBe("tabby");
    await page.screenshot({ path: `${SCREENSHOTS}search.png` });
    await first.click();
    await page.waitForURL(/\/synsets\/n\d{8}$/);
    expect(await page.locator("h1").first().textContent()).toBe("tabby");
  });

  it("shows a synset's images and, once an admin signs in, takes an upload on its page", async () => {
    await page.goto(`${baseUrl}/synsets/n02085620`); // Chihuahua: one seeded photo
    await page.locator(".image-grid img").first().waitFor();
    expect(await page.getByLabel("Choose image files").count()).toBe(0); // anonymous: no upload

    const admin = inject("arborUsers").admin;
    await page.goto(`${baseUrl}/login?next=/synsets/n02085620`);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/synsets/n02085620");
    await page.locator(".image-grid img").first().waitFor();
    expect(await page.locator(".image-grid li").count()).toBe(1);
    await page.getByLabel("Choose image files").setInputFiles(`${SAMPLES}n02086240_Shih-Tzu.JPEG`);
    await expect.poll(() => page.getByRole("status").textContent(), { timeout: 30_000 }).toMatch(/Done: 1 new/);
    await expect.poll(() => page.locator(".image-grid li").count()).toBe(2);
    await page.screenshot({ path: `${SCREENSHOTS}synset-images.png` });

    await page.locator(".image-grid a").first().click();
    await page.waitForURL(/\/images\/\d+$/);
    expect(await page.locator("h1").first().textContent()).toMatch(/^Image \d+$/);
    await page.screenshot({ path: `${SCREENSHOTS}image.png`, fullPage: true });
  });

  it("opens the tree at a synset and shows a helpful page for an unknown one", async () => {
    await page.goto(`${baseUrl}/synsets?open=${DOG}`);
    await page.locator(`li[data-wnid="${DOG}"][data-target="true"]`).first().waitFor();
    const response = await page.goto(`${baseUrl}/synsets/n99999999`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").first().textContent()).toBe("No such synset");
  });
});
