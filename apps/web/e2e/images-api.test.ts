import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";

const api = (path: string, init?: RequestInit) => fetch(`${inject("arborBaseUrl")}/api/v1${path}`, init);
/** As an admin, with an API token (the way the CLI and scripts call the API). */
const asAdmin = (path: string, init: RequestInit = {}) =>
  api(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${inject("arborUsers").admin.token}` } });
const TABBY = fileURLToPath(
  new URL("../../../../shared/data/imagenet-sample-images/n02123045_tabby.JPEG", import.meta.url),
);

async function waitForRun(runId: number) {
  for (let i = 0; i < 100; i++) {
    const run = await (await asAdmin(`/ingest-runs/${runId}`)).json();
    if (run.status === "succeeded" || run.status === "failed") return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe("images and ingest over the REST API", () => {
  // Other test files add images too (the browser test uploads one to Chihuahua), so these tests check
  // relationships that hold whatever ran before, not fixed totals.
  it("counts images per synset and subtree, and pages a synset's images", async () => {
    const dog = await (await api("/synsets/n02084071")).json();
    expect(dog.counts.images).toBe(0);
    expect(dog.counts.subtreeVerified).toBeGreaterThanOrEqual(3); // the seeded photos
    const chihuahua = await (await api("/synsets/n02085620")).json();
    expect(chihuahua.counts.verified).toBe(1);
    expect(chihuahua.counts.images).toBe(chihuahua.counts.verified + chihuahua.counts.candidates);

    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await (
        await api(`/synsets/n02084071/images?descendants=true&limit=2${cursor ? `&cursor=${cursor}` : ""}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: { id: number }) => i.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(seen.length); // each image once, newest first
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen).toHaveLength(dog.counts.subtreeImages);
    expect((await (await api("/synsets/n02084071/images")).json()).items).toEqual([]); // none directly on dog
    expect((await api("/synsets/n02084071/images?state=maybe")).status).toBe(400);
  });

  it("serves an image's metadata, thumbnail and original with immutable caching", async () => {
    const { items } = await (await api("/synsets/n02085620/images?state=verified")).json();
    const image = await (await api(`/images/${items[0].id}`)).json();
    expect(image.format).toBe("jpeg");
    // Verified by people: no model proposed or verified it.
    expect(image.synsets).toContainEqual({
      wnid: "n02085620",
      lemmas: ["Chihuahua"],
      state: "verified",
      proposedBy: null,
      modelVerified: null,
    });
    const thumbnail = await fetch(`${inject("arborBaseUrl")}${image.thumbnailUrl}`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toBe("image/webp");
    expect(thumbnail.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = thumbnail.headers.get("etag") as string;
    const again = await fetch(`${inject("arborBaseUrl")}${image.thumbnailUrl}`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const original = Buffer.from(await (await fetch(`${inject("arborBaseUrl")}${image.originalUrl}`)).arrayBuffer());
    expect(original.length).toBe(image.bytes);
    expect((await api("/images/999999")).status).toBe(404);
    expect((await api("/images/abc")).status).toBe(400);
    expect((await api("/images/999999/original")).status).toBe(404);
  });

  it("ingests a server folder as a background run, and refuses paths outside the ingest roots", async () => {
    const forbidden = await asAdmin("/ingest-runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "folder", path: "/etc" }),
    });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.message).toMatch(/outside the ingest folders/);
    const outside = await asAdmin("/ingest-runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "folder", path: `${inject("arborIngestFolder")}/../../../..` }),
    });
    expect(outside.status).toBe(403);
    expect((await asAdmin("/ingest-runs", { method: "POST", body: "{" })).status).toBe(400);

    const started = await asAdmin("/ingest-runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "folder", path: inject("arborIngestFolder") }),
    });
    expect(started.status).toBe(202);
    const run = await waitForRun((await started.json()).runId);
    expect(run).toMatchObject({ status: "succeeded", added: 1, linked: 1, skipped: 0 });
    expect((await (await asAdmin("/ingest-runs")).json()).items[0].id).toBe(run.id);
  });

  it("accepts browser uploads into a synset and reports non-images", async () => {
    const form = new FormData();
    form.append("files", new Blob([await readFile(TABBY)], { type: "image/jpeg" }), "tabby.jpg");
    form.append("files", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
    const response = await asAdmin("/synsets/n02121808/uploads", { method: "POST", body: form }); // domestic cat
    expect(response.status).toBe(202);
    const run = await waitForRun((await response.json()).runId);
    expect(run).toMatchObject({ status: "succeeded", kind: "upload", processed: 2, skipped: 1 });
    expect(run.skips[0]).toMatchObject({ item: "upload:hello.txt", reason: "not-an-image" });
    const empty = await asAdmin("/synsets/n02121808/uploads", { method: "POST", body: new FormData() });
    expect(empty.status).toBe(400);
    expect((await asAdmin("/synsets/n99999999/uploads", { method: "POST", body: form })).status).toBe(404);
  });
});
