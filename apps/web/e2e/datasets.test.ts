import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";

const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const DOG = "n02084071";
/** The three seeded photos, each verified under its own breed (see global-setup.ts). */
const BREEDS = ["n02085620", "n02085782", "n02085936"];

const base = () => inject("arborBaseUrl");
type Role = "admin" | "annotator" | "researcher";
function call(role: Role, route: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${base()}/api/v1${route}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      authorization: `Bearer ${inject("arborUsers")[role].token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function waitForExport(id: number): Promise<{ status: string; error: string | null; location: string }> {
  for (let i = 0; i < 300; i++) {
    const summary = await (await call("researcher", `/exports/${id}`)).json();
    if (summary.status === "succeeded" || summary.status === "failed") return summary;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`export ${id} did not finish in 60 s`);
}

interface FreezeRun {
  id: number;
  status: string;
  phase: string | null;
  versionId: number | null;
  error: string | null;
  errorKind: string | null;
  errorDetail?: { conflicts?: unknown[] };
}

async function waitForFreeze(id: number): Promise<FreezeRun> {
  for (let i = 0; i < 300; i++) {
    const run = await (await call("researcher", `/freeze-runs/${id}`)).json();
    if (run.status === "succeeded" || run.status === "failed") return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`freeze run ${id} did not finish in 60 s`);
}

describe("dataset versions and exports over the API", () => {
  it("freezes as a job: 202 with the run to poll, which ends with the version or the refusal", async () => {
    const definition = { name: "e2e-job", classes: { kind: "wnids", wnids: BREEDS }, seed: 3 };
    const started = await call("researcher", "/datasets", { body: definition });
    expect(started.status).toBe(202);
    const run = await started.json();
    expect(run).toMatchObject({ datasetName: "e2e-job", versionId: null, error: null });
    expect(["queued", "running", "succeeded"]).toContain(run.status);
    expect(started.headers.get("location")).toBe(`/api/v1/freeze-runs/${run.id}`);
    const done = await waitForFreeze(run.id);
    expect(done).toMatchObject({ status: "succeeded", phase: "writing", error: null });
    const version = await (await call("researcher", `/datasets/${done.versionId}`)).json();
    expect(version).toMatchObject({ name: "e2e-job", number: 1, classCount: 3, imageCount: 3 });

    const conflicting = { name: "e2e-job-conflict", classes: { kind: "wnids", wnids: [DOG, ...BREEDS] } };
    const queued = await (await call("researcher", "/datasets", { body: conflicting })).json();
    const failed = await waitForFreeze(queued.id);
    expect(failed).toMatchObject({ status: "failed", errorKind: "unprocessable", versionId: null });
    expect(failed.error).toMatch(/ancestors of other classes/);
    expect(failed.errorDetail?.conflicts).toHaveLength(3);

    expect((await call("researcher", "/freeze-runs/999999")).status).toBe(404);
    expect((await call("researcher", "/freeze-runs/abc")).status).toBe(400);
    expect((await call("annotator", `/freeze-runs/${run.id}`)).status).toBe(403);
    expect((await call("researcher", "/datasets?wait=-1", { body: definition })).status).toBe(400);
    expect((await call("researcher", "/datasets?wait=soon", { body: definition })).status).toBe(400);
    const active = await (await call("researcher", "/freeze-runs")).json();
    expect(active.items.map((r: FreezeRun) => r.id)).not.toContain(run.id);
  });

  it("previews a class set with its ancestor/descendant conflict, and refuses to freeze it unresolved", async () => {
    const definition = { name: "e2e-conflict", classes: { kind: "wnids", wnids: [DOG, ...BREEDS] } };
    const preview = await call("researcher", "/datasets/preview", { body: definition });
    expect(preview.status).toBe(200);
    const classes = await preview.json();
    expect(classes.conflicts).toEqual(expect.arrayContaining([{ ancestor: DOG, descendant: BREEDS[0] }]));
    expect(classes.classes.map((c: { wnid: string }) => c.wnid)).toEqual(expect.arrayContaining(BREEDS));

    // ?wait: the request waits for its freeze job to end, and answers its refusal as the job recorded it.
    const refused = await call("researcher", "/datasets?wait=60", { body: definition });
    expect(refused.status).toBe(422);
    const { error } = await refused.json();
    expect(error.message).toMatch(/ancestors of other classes/);
    expect(error.detail.conflicts).toHaveLength(3);

    const resolved = await call("researcher", "/datasets/preview", {
      body: { ...definition, conflicts: "drop-ancestors" },
    });
    const after = await resolved.json();
    expect(after.droppedForConflicts).toEqual([DOG]);
    expect(after.classes.map((c: { wnid: string }) => c.wnid)).toEqual(BREEDS);
    // Nothing was written.
    const list = await (await call("researcher", "/datasets")).json();
    expect(list.items.some((v: { name: string }) => v.name === "e2e-conflict")).toBe(false);
  });

  it("answers 400 with a clear message for a malformed definition, and 403 to annotators", async () => {
    const bad = await call("researcher", "/datasets", {
      body: {
        name: "e2e-bad",
        classes: { kind: "wnids", wnids: BREEDS },
        splits: { mode: "fractions", train: 0.5, val: 0.1, test: 0.1 },
      },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/splits: train \+ val \+ test must sum to 1/);
    const noBody = await fetch(`${base()}/api/v1/datasets`, {
      method: "POST",
      headers: { authorization: `Bearer ${inject("arborUsers").researcher.token}` },
      body: "not json",
    });
    expect(noBody.status).toBe(400);

    for (const [method, route] of [
      ["GET", "/datasets"],
      ["POST", "/datasets"],
      ["POST", "/datasets/preview"],
      ["GET", "/datasets/1"],
      ["GET", "/exports/1"],
    ] as const) {
      const response = await call("annotator", route, method === "POST" ? { body: {} } : {});
      expect(response.status, `${method} ${route}`).toBe(403);
    }
  });

  it("freezes versions, describes them, diffs them, exports to the blob store and downloads through presigned links", async () => {
    const definition = { name: "e2e-dogs", classes: { kind: "wnids", wnids: BREEDS }, seed: 7 };
    const created = await call("researcher", "/datasets?wait=60", { body: definition });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(/^\/api\/v1\/datasets\/\d+$/);
    const v1 = await created.json();
    expect(v1).toMatchObject({ name: "e2e-dogs", number: 1, classCount: 3, imageCount: 3 });
    expect(v1.versionId).toEqual(expect.any(Number));
    expect(v1.report.leakage.pairs).toBe(0);
    const v2 = await (await call("admin", "/datasets?wait=60", { body: { ...definition, seed: 8 } })).json();
    expect(v2).toMatchObject({ name: "e2e-dogs", number: 2, datasetId: v1.datasetId });

    const list = await (await call("researcher", "/datasets")).json();
    expect(list.items.map((v: { id: number }) => v.id)).toEqual(expect.arrayContaining([v1.versionId, v2.versionId]));

    const detail = await (await call("researcher", `/datasets/${v1.versionId}`)).json();
    expect(detail.classes.map((c: { wnid: string }) => c.wnid)).toEqual(BREEDS);
    for (const c of detail.classes) expect(c.train + c.val + c.test).toBe(1);
    expect(detail.counts.train + detail.counts.val + detail.counts.test).toBe(3);
    expect(detail.leakage.pairs).toBe(0);
    expect(detail.versions).toEqual([
      { id: v1.versionId, number: 1 },
      { id: v2.versionId, number: 2 },
    ]);
    expect((await call("researcher", "/datasets/999999")).status).toBe(404);

    const diff = await (await call("researcher", `/datasets/${v2.versionId}/diff?against=${v1.versionId}`)).json();
    expect(diff).toMatchObject({ from: v1.versionId, to: v2.versionId, classesAdded: [], imagesAdded: 0 });
    expect(diff.unchanged + diff.movedTotal).toBe(3);
    expect((await call("researcher", `/datasets/${v2.versionId}/diff`)).status).toBe(400);

    // Refused exports: bad options, a folder outside ARBOR_EXPORT_ROOTS, an unknown version.
    const badFormat = await call("researcher", `/datasets/${v1.versionId}/exports`, { body: { format: "zip" } });
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json()).error.message).toMatch(/format/);
    const outside = await call("researcher", `/datasets/${v1.versionId}/exports`, {
      body: { format: "jsonl", destination: "/etc/arbor-export" },
    });
    expect(outside.status).toBe(403);
    expect((await outside.json()).error.message).toMatch(/ARBOR_EXPORT_ROOTS/);
    expect((await call("researcher", "/datasets/999999/exports", { body: { format: "jsonl" } })).status).toBe(404);

    // The blob store: downloadable.
    const started = await call("researcher", `/datasets/${v1.versionId}/exports`, {
      body: { format: "jsonl", withholdTestLabels: true },
    });
    expect(started.status).toBe(202);
    const { id, resumed } = await started.json();
    expect(resumed).toBe(false);
    const done = await waitForExport(id);
    expect(done).toMatchObject({ status: "succeeded", error: null, location: `blob store: exports/${id}/` });
    const files = await (await call("researcher", `/exports/${id}/files`)).json();
    const info = files.items.find((f: { path: string }) => f.path === "export.json");
    expect(info.url).toMatch(
      new RegExp(`^${base()}/api/v1/blobs/exports/${id}/export\\.json\\?expires=\\d+&signature=`),
    );
    const download = await fetch(info.url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/application\/json/);
    // (No Content-Length check: Next 16 drops that header from route handlers' streamed responses.)
    const text = await download.text();
    const exported = JSON.parse(text);
    expect(exported).toMatchObject({ format: "jsonl" });
    expect(JSON.stringify(exported)).toContain("e2e-dogs");
    // The signature is the authorisation: tampered or for another key, it is refused.
    const tampered = info.url.replace(
      /signature=([0-9a-f])/,
      (_: string, c: string) => `signature=${c === "0" ? "1" : "0"}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(info.url.replace("export.json", "classes.json"))).status).toBe(403);
    expect((await fetch(`${base()}/api/v1/blobs/exports/${id}/export.json`)).status).toBe(403);

    // A server folder inside ARBOR_EXPORT_ROOTS: written there, no download links.
    const folder = path.join(inject("arborExportRoot"), "e2e-dogs");
    const local = await (
      await call("researcher", `/datasets/${v1.versionId}/exports`, {
        body: { format: "imagefolder", destination: folder },
      })
    ).json();
    expect(await waitForExport(local.id)).toMatchObject({ status: "succeeded", location: folder });
    const localFiles = await (await call("researcher", `/exports/${local.id}/files`)).json();
    expect(localFiles.items.find((f: { path: string }) => f.path === "export.json")).toMatchObject({ url: null });
  });
});

describe("dataset pages in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("a researcher freezes a version through the form, reads its histogram and leakage, and exports it", async () => {
    const researcher = inject("arborUsers").researcher;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login?next=/datasets`);
    await page.getByLabel("Email").fill(researcher.email);
    await page.getByLabel("Password").fill(researcher.password);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/datasets");
    await page.getByRole("link", { name: "Datasets" }).waitFor(); // in the nav
    await page.getByRole("link", { name: "New version" }).click();
    await page.waitForURL("**/datasets/new");

    await page.getByLabel("Name").fill("e2e-browser");
    await page.locator("textarea[name=wnids]").fill([DOG, ...BREEDS].join("\n"));
    await page.locator("input[name=train]").fill("0.5");
    // Refused: the fractions do not sum to 1. What was typed stays.
    await page.getByRole("button", { name: "Freeze version" }).click();
    const refusal = page.locator("form p.error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/must sum to 1/);
    expect(await page.getByLabel("Name").inputValue()).toBe("e2e-browser");
    expect(await page.locator("textarea[name=wnids]").inputValue()).toContain(DOG);
    await page.locator("input[name=train]").fill("0.8");

    // The preview shows the conflict (dog is an ancestor of every breed) and lets the researcher drop a side.
    await page.getByRole("button", { name: "Preview classes" }).click();
    const conflicts = page.getByRole("region", { name: "Conflicts" });
    await conflicts.waitFor();
    expect(await conflicts.textContent()).toMatch(/3 ancestor\/descendant conflicts/);
    await page.getByRole("button", { name: "Drop ancestors" }).click();
    await page.getByText(`Dropped for conflicts: ${DOG}`).waitFor();
    const preview = page.getByRole("region", { name: "Class preview" });
    expect(await preview.locator("tbody tr").count()).toBe(3);
    expect(await preview.textContent()).toContain("Chihuahua");
    await page.screenshot({ path: `${SCREENSHOTS}dataset-new.png`, fullPage: true });

    await page.getByRole("button", { name: "Freeze version" }).click();
    await page.waitForURL(/\/datasets\/\d+$/);
    await page.getByRole("heading", { name: /e2e-browser/ }).waitFor();
    const histogram = page.getByRole("img", { name: /Images per class and split/ });
    await histogram.waitFor();
    expect(await histogram.locator("rect").count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole("region", { name: "Leakage" }).textContent()).toMatch(/No cross-split near-duplicates/);
    expect(await page.getByRole("region", { name: "Freeze report" }).textContent()).toMatch(/dropped n02084071/);
    expect(await page.getByText("This is the only version of e2e-browser so far.").count()).toBe(1);

    // Start an export (the form is open while there are none) and watch it finish without reloading.
    await page.getByLabel("Format").selectOption("webdataset");
    await page.getByLabel("Images per shard").fill("2");
    await page.getByRole("button", { name: "Start export" }).click();
    const row = page.getByRole("table", { name: "Exports" }).locator("tbody tr").first();
    await row.locator(".status-succeeded").waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toMatch(/webdataset/);
    await row.getByText("Files").click();
    const link = row.getByRole("link", { name: "export.json" });
    await link.waitFor();
    const href = await link.getAttribute("href");
    expect(href).toMatch(/\/api\/v1\/blobs\/exports\/\d+\/export\.json\?expires=/);
    const downloaded = await fetch(href as string);
    expect(downloaded.status).toBe(200);
    expect((await downloaded.json()).format).toBe("webdataset");
    expect(await row.getByRole("link", { name: /^train-\d{6}\.tar$/ }).count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: `${SCREENSHOTS}dataset-version.png`, fullPage: true });

    // Two versions of one dataset: the version page compares them.
    const diffed = { name: "e2e-diff", classes: { kind: "wnids", wnids: BREEDS } };
    expect((await call("researcher", "/datasets?wait=60", { body: diffed })).status).toBe(201);
    const second = await (
      await call("researcher", "/datasets?wait=60", {
        body: { ...diffed, classes: { kind: "wnids", wnids: BREEDS.slice(1) } },
      })
    ).json();
    await page.goto(`${base()}/datasets/${second.versionId}`);
    await page.getByRole("button", { name: "Compare" }).click();
    const differences = page.getByRole("region", { name: "Differences" });
    await differences.waitFor();
    expect(await differences.textContent()).toMatch(/−1 removed,.*0 classes added, 1 removed/);
    await page.screenshot({ path: `${SCREENSHOTS}dataset-diff.png`, fullPage: true });

    await page.goto(`${base()}/datasets`);
    await page.getByRole("region", { name: "e2e-browser" }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}datasets.png`, fullPage: true });

    // Annotators do not see datasets.
    await context.clearCookies();
    const annotator = inject("arborUsers").annotator;
    await page.goto(`${base()}/login?next=/datasets`);
    await page.getByLabel("Email").fill(annotator.email);
    await page.getByLabel("Password").fill(annotator.password);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/datasets");
    expect(await page.getByRole("link", { name: "Datasets" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Datasets" }).count()).toBe(0);
    await context.close();
  });
});
