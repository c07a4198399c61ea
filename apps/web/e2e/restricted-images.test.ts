import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";

/**
 * Restricted images (labels withheld) and ownership, over HTTP and in Chromium. Its own images (CIFAR-10
 * ships, trucks, frogs and horses, which no other test file uses), so restricting them changes nothing the
 * other files look at.
 */
const CIFAR = fileURLToPath(new URL("../../../../shared/data/cifar10-jpg/test/", import.meta.url));
const CLASSES = { ship: "n04194289", truck: "n04490091", frog: "n01639765", horse: "n02374451" } as const;
const PER_CLASS = 5;

const base = () => inject("arborBaseUrl");
type Role = "admin" | "annotator" | "researcher";
type Caller = Role | null;

function call(role: Caller, route: string, init: { method?: string; body?: unknown; type?: string } = {}) {
  const raw = typeof init.body === "string";
  return fetch(`${base()}/api/v1${route}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(role ? { authorization: `Bearer ${inject("arborUsers")[role].token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": init.type ?? "application/json" }),
    },
    body: init.body === undefined ? undefined : raw ? (init.body as string) : JSON.stringify(init.body),
  });
}
const json = async (role: Caller, route: string) => {
  const response = await call(role, route);
  expect(response.status, `GET ${route} as ${role ?? "anonymous"}`).toBe(200);
  return response.json();
};

/** The ids a caller is shown among a synset's images. */
async function listed(role: Caller, wnid: string): Promise<number[]> {
  const page = await json(role, `/synsets/${wnid}/images?limit=200`);
  return page.items.map((item: { id: number }) => item.id);
}

async function waitFor(role: Role, route: string, done: (body: { status: string }) => boolean) {
  for (let i = 0; i < 300; i++) {
    const body = await json(role, route);
    if (done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${route} did not finish in 60 s`);
}

/** A version frozen by `role`, its test split withheld by the definition, and its restricted images. */
async function freezeWithheld(role: Role, name: string, wnids: string[]) {
  const everyImage = (await Promise.all(wnids.map((wnid) => listed("admin", wnid)))).flat();
  const created = await call(role, "/datasets?wait=60", {
    body: {
      name,
      classes: { kind: "wnids", wnids },
      splits: { mode: "counts", val: 1, test: 2 },
      withholdLabels: ["test"],
    },
  });
  expect(created.status).toBe(201);
  const version = await created.json();
  const seen = new Set((await Promise.all(wnids.map((wnid) => listed(null, wnid)))).flat());
  return { versionId: version.versionId as number, restricted: everyImage.filter((id) => !seen.has(id)) };
}

describe("restricted images and ownership over the API", () => {
  /** The researcher's version (ship, truck) and the admin's (frog, horse), each with its test split withheld. */
  let mine: { versionId: number; restricted: number[] };
  let theirs: { versionId: number; restricted: number[] };

  beforeAll(async () => {
    const folder = path.join(path.dirname(inject("arborIngestFolder")), "restricted-e2e");
    for (const [name, wnid] of Object.entries(CLASSES)) {
      await mkdir(path.join(folder, wnid), { recursive: true });
      for (let i = 0; i < PER_CLASS; i++) {
        const file = `${String(i).padStart(4, "0")}.jpg`;
        await copyFile(path.join(CIFAR, name, file), path.join(folder, wnid, file));
      }
    }
    const started = await call("admin", "/ingest-runs", { body: { kind: "folder", path: folder, trusted: true } });
    expect(started.status).toBe(202);
    const run = await waitFor("admin", `/ingest-runs/${(await started.json()).runId}`, (r) =>
      ["succeeded", "failed"].includes(r.status),
    );
    expect(run).toMatchObject({ status: "succeeded", added: 4 * PER_CLASS });
    mine = await freezeWithheld("researcher", "e2e-withheld-mine", [CLASSES.ship, CLASSES.truck]);
    theirs = await freezeWithheld("admin", "e2e-withheld-theirs", [CLASSES.frog, CLASSES.horse]);
  }, 120_000);

  it("lists a restricted image only for admins and the restricting version's owner", async () => {
    expect(mine.restricted).toHaveLength(4);
    expect(theirs.restricted).toHaveLength(4);
    for (const wnid of [CLASSES.ship, CLASSES.truck]) {
      expect((await listed("researcher", wnid)).sort()).toEqual((await listed("admin", wnid)).sort());
    }
    for (const wnid of [CLASSES.frog, CLASSES.horse]) {
      const shown = await listed("researcher", wnid);
      for (const id of theirs.restricted) expect(shown).not.toContain(id);
      expect(await listed("annotator", wnid)).toEqual(shown);
    }
  });

  it("answers a restricted image's detail without labels, hashes, sources or neighbours, but to its owner", async () => {
    const id = mine.restricted[0] as number;
    const full = await json("admin", `/images/${id}`);
    expect(full.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(full.sources[0].locator).toMatch(/restricted-e2e\/n0\d{7}\/\d{4}\.jpg$/);
    for (const role of [null, "annotator"] as const) {
      const detail = await json(role, `/images/${id}`);
      expect(detail).toMatchObject({ labelsWithheld: true, sha256: null, phash: null, synsets: [], sources: [] });
      expect(detail.nearDuplicates).toEqual([]);
      const text = JSON.stringify(detail);
      expect(text).not.toContain(full.sha256);
      expect(text).not.toMatch(/restricted-e2e|n0\d{7}/);
    }
    const owner = await json("researcher", `/images/${id}`);
    expect(owner).toMatchObject({ labelsWithheld: false, sha256: full.sha256 });
    expect(owner.synsets).toEqual([expect.objectContaining({ state: "verified" })]);
    expect(owner.sources).toEqual([expect.objectContaining({ kind: "folder", locator: null })]);
    // The admin's restricted images are restricted for the researcher too.
    expect(await json("researcher", `/images/${theirs.restricted[0]}`)).toMatchObject({
      labelsWithheld: true,
      sha256: null,
    });
    // The bytes are served to anyone, under an ETag that is not the sha256.
    const thumbnail = await call(null, `/images/${id}/thumbnail`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("etag") ?? "").not.toContain(full.sha256);
    await thumbnail.body?.cancel();
  });

  it("shows link states and locators only to whom they are for, on images nobody restricts", async () => {
    const [open] = (await listed(null, CLASSES.ship)).slice(-1);
    const anonymous = await json(null, `/images/${open}`);
    expect(anonymous).toMatchObject({
      labelsWithheld: false,
      synsets: [expect.objectContaining({ state: "verified" })],
    });
    expect(anonymous.sources).toEqual([expect.objectContaining({ kind: "folder", locator: null })]);
    const annotator = await json("annotator", `/images/${open}`);
    expect(annotator).toMatchObject({ labelsWithheld: true, synsets: [] });
    const page = await json("annotator", `/synsets/${CLASSES.ship}/images`);
    for (const item of page.items) expect(item.state).toBeNull();
    expect((await call("annotator", `/synsets/${CLASSES.ship}/images?state=verified`)).status).toBe(403);
  });

  it("shows predictions of a restricted image to its owner only, and none to annotators", async () => {
    const created = await call("researcher", "/models", { body: { name: "e2e-restricted", architecture: "resnet" } });
    expect(created.status).toBe(201);
    const modelId = (await created.json()).id;
    const [restricted] = mine.restricted as [number];
    const [open] = (await listed(null, CLASSES.truck)).slice(-1) as [number];
    const lines = [restricted, open].map((imageId) => JSON.stringify({ imageId, wnid: CLASSES.truck, score: 0.9 }));
    const pushed = await call("researcher", `/models/${modelId}/predictions`, {
      body: lines.join("\n"),
      type: "application/x-ndjson",
    });
    expect(pushed.status).toBe(200);
    expect((await json(null, `/images/${restricted}/predictions`)).items).toEqual([]);
    expect((await json("annotator", `/images/${restricted}/predictions`)).items).toEqual([]);
    expect((await json("researcher", `/images/${restricted}/predictions`)).items).toHaveLength(1);
    expect((await json(null, `/images/${open}/predictions`)).items).toHaveLength(1);
    expect((await json("annotator", `/images/${open}/predictions`)).items).toEqual([]);
  });

  it("refuses a labelled export of withheld labels to anyone but the owner and admins, and its files", async () => {
    const refused = await call("researcher", `/datasets/${theirs.versionId}/exports`, { body: { format: "jsonl" } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/test split are withheld/);
    const unlabelled = await call("researcher", `/datasets/${theirs.versionId}/exports`, {
      body: { format: "jsonl", withholdTestLabels: true },
    });
    expect(unlabelled.status).toBe(202);
    const labelled = await call("admin", `/datasets/${theirs.versionId}/exports`, { body: { format: "jsonl" } });
    expect(labelled.status).toBe(202);
    const { id } = await labelled.json();
    await waitFor("admin", `/exports/${id}`, (e) => ["succeeded", "failed"].includes(e.status));
    expect((await call("researcher", `/exports/${id}/files`)).status).toBe(403);
    const files = await json("admin", `/exports/${id}/files`);
    expect(files.items.map((f: { path: string }) => f.path)).toContain("test.jsonl");
    // The owner may export her own labelled.
    const own = await call("researcher", `/datasets/${mine.versionId}/exports`, { body: { format: "jsonl" } });
    expect(own.status).toBe(202);
    const detail = await json("researcher", `/datasets/${theirs.versionId}`);
    expect(detail).toMatchObject({ restrictedSplits: ["test"], labelsWithheld: ["test"], mayAddVersions: false });
    expect(await json("researcher", `/datasets/${mine.versionId}`)).toMatchObject({
      labelsWithheld: [],
      mayAddVersions: true,
    });
  });

  it("lists no restricted image among a diff's moved images, but to its owner", async () => {
    const v2 = await call("admin", "/datasets?wait=60", {
      body: {
        name: "e2e-withheld-theirs",
        classes: { kind: "wnids", wnids: [CLASSES.frog, CLASSES.horse] },
        splits: { mode: "counts", val: 1, test: 2 },
        seed: 99,
      },
    });
    expect(v2.status).toBe(201);
    const { versionId } = await v2.json();
    const hidden = new Set(
      await Promise.all(theirs.restricted.map(async (id) => (await json("admin", `/images/${id}`)).sha256 as string)),
    );
    const route = `/datasets/${versionId}/diff?against=${theirs.versionId}`;
    const forAdmin = await json("admin", route);
    const forResearcher = await json("researcher", route);
    expect(forResearcher.movedTotal).toBe(forAdmin.movedTotal);
    for (const moved of forResearcher.moved) expect(hidden.has(moved.sha256)).toBe(false);
    expect(forResearcher.moved.length).toBe(
      forAdmin.moved.filter((m: { sha256: string }) => !hidden.has(m.sha256)).length,
    );
  });

  it("lets only a dataset's owner or an admin freeze further versions of it", async () => {
    const definition = { classes: { kind: "wnids", wnids: [CLASSES.frog] } };
    const refused = await call("researcher", "/datasets?wait=60", {
      body: { name: "e2e-withheld-theirs", ...definition },
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toMatch(/belongs to someone else/);
    expect(
      (await call("admin", "/datasets?wait=60", { body: { name: "e2e-withheld-mine", ...definition } })).status,
    ).toBe(201);
    expect(
      (await call("researcher", "/datasets?wait=60", { body: { name: "e2e-withheld-mine", ...definition } })).status,
    ).toBe(201);
  });

  it("lets only a model's owner or an admin upload its files and push its predictions", async () => {
    const created = await call("admin", "/models", { body: { name: "e2e-admins-model", architecture: "vgg" } });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const artifact = (role: Role) =>
      call(role, `/models/${id}/artifacts/model.json`, {
        method: "PUT",
        body: `{"by":"${role}"}`,
        type: "application/octet-stream",
      });
    const predictions = (role: Role) =>
      call(role, `/models/${id}/predictions`, {
        body: JSON.stringify({ imageId: mine.restricted[0], wnid: CLASSES.ship, score: 0.99 }),
        type: "application/x-ndjson",
      });
    expect((await artifact("admin")).status).toBe(201);
    const overwrite = await artifact("researcher");
    expect(overwrite.status).toBe(403);
    expect((await overwrite.json()).error.message).toMatch(/belongs to someone else/);
    expect((await predictions("researcher")).status).toBe(403);
    expect((await json("admin", `/models/${id}`)).predictions).toBe(0);
    const files = await json("admin", `/models/${id}/artifacts`);
    const url = files.items.find((f: { name: string }) => f.name === "model.json").url;
    expect(await (await fetch(url)).text()).toBe('{"by":"admin"}');
    expect((await predictions("admin")).status).toBe(200);
  });

  it("serves a task's images only through the task, to its annotator", async () => {
    const task = "00000000-0000-4000-8000-000000000000";
    expect((await call(null, `/tasks/${task}/images/0`)).status).toBe(401);
    expect((await call("researcher", `/tasks/${task}/images/0`)).status).toBe(403);
    expect((await call("annotator", `/tasks/${task}/images/0`)).status).toBe(404);
    expect((await call("annotator", `/tasks/${task}/examples/0`)).status).toBe(404);
    expect((await call("annotator", `/tasks/${task}/images/-1`)).status).toBe(400);
    const answered = await call("annotator", `/tasks/${task}/answers`, { body: { positive: [-1] } });
    expect(answered.status).toBe(400);
  });
});

describe("restricted images in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("an anonymous visitor sees neither a restricted image's labels nor the image in its synset's grid", async () => {
    const all = await listed("admin", CLASSES.ship);
    const seen = new Set(await listed(null, CLASSES.ship));
    const restricted = all.find((id) => !seen.has(id)) as number;
    expect(restricted).toEqual(expect.any(Number));
    const { sha256 } = await json("admin", `/images/${restricted}`);

    const anonymous = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await anonymous.newPage();
    await page.goto(`${base()}/images/${restricted}`);
    await page.getByRole("heading", { name: `Image ${restricted}` }).waitFor();
    await page.getByText(/in a split whose labels are withheld/).waitFor();
    const html = await page.content();
    expect(html).not.toContain(sha256);
    expect(html).not.toContain("restricted-e2e");
    await page.goto(`${base()}/synsets/${CLASSES.ship}`);
    await page.locator('ul[aria-label="Images"] li').first().waitFor();
    expect(await page.locator(`a[href="/images/${restricted}"]`).count()).toBe(0);
    expect(await page.locator('ul[aria-label="Images"] li').count()).toBe(seen.size);
    await anonymous.close();

    // The owner, signed in, sees its labels and hash.
    const researcher = inject("arborUsers").researcher;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const signedIn = await context.newPage();
    await signedIn.goto(`${base()}/login?next=/images/${restricted}`);
    await signedIn.getByLabel("Email").fill(researcher.email);
    await signedIn.getByLabel("Password").fill(researcher.password);
    await signedIn.keyboard.press("Enter");
    await signedIn.waitForURL(`**/images/${restricted}`);
    await signedIn.getByRole("heading", { name: `Image ${restricted}` }).waitFor();
    expect(await signedIn.content()).toContain(sha256);
    await context.close();
  });
});
