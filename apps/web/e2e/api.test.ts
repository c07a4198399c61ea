import { describe, expect, inject, it } from "vitest";

const api = (path: string) => fetch(`${inject("arborBaseUrl")}/api/v1${path}`);

describe("REST API v1 (served by next start)", () => {
  it("answers health and stats", async () => {
    expect(await (await api("/health")).json()).toEqual({ ok: true });
    const stats = await (await api("/stats")).json();
    expect(stats).toMatchObject({ synsets: 82_115, edges: 84_427 });
    expect(stats.images).toBeGreaterThanOrEqual(3); // the seeded photos
  });

  it("gives dog with its parents canine and domestic animal, paths and counts", async () => {
    const response = await api("/synsets/n02084071");
    expect(response.status).toBe(200);
    const dog = await response.json();
    expect(dog).toMatchObject({ wnid: "n02084071", lemmas: ["dog", "domestic dog", "Canis familiaris"] });
    expect(dog.parents).toEqual(expect.arrayContaining(["n02083346", "n01317541"]));
    expect(dog.paths.every((p: string[]) => p[0] === "n00001740" && p.at(-1) === "n02084071")).toBe(true);
    expect(dog.counts).toEqual({
      images: 0,
      subtreeImages: expect.any(Number),
      candidates: 0,
      verified: 0,
      rejected: 0,
      subtreeVerified: expect.any(Number),
    });
    expect(dog.children[0]).toEqual({
      wnid: expect.stringMatching(/^n\d{8}$/),
      lemmas: expect.any(Array),
      gloss: expect.any(String),
      kind: expect.stringMatching(/^(hypernym|instance)$/),
      childCount: expect.any(Number),
      subtreeSize: expect.any(Number),
      counts: {
        images: expect.any(Number),
        subtreeImages: expect.any(Number),
        candidates: expect.any(Number),
        verified: expect.any(Number),
        rejected: expect.any(Number),
        subtreeVerified: expect.any(Number),
      },
    });
  });

  it("answers 404 for an unknown wnid and 400 for a malformed one, as JSON", async () => {
    const unknown = await api("/synsets/n99999999");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { status: 404, message: "no synset n99999999" } });
    for (const bad of ["dog", "n123", "n0208407x", "%2e%2e%2fetc"]) {
      const response = await api(`/synsets/${bad}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(/wnid/);
    }
  });

  it("searches by lemma, exact matches first, and validates q and limit", async () => {
    const result = await (await api("/synsets?q=dog&limit=5")).json();
    expect(result.items).toHaveLength(5);
    expect(result.items[0]).toEqual({
      wnid: "n02084071",
      lemmas: expect.any(Array),
      gloss: expect.any(String),
      match: "exact",
    });
    expect((await api("/synsets?q=")).status).toBe(400);
    expect((await api("/synsets")).status).toBe(400);
    expect((await api("/synsets?q=dog&limit=0")).status).toBe(400);
    expect((await api("/synsets?q=dog&limit=1000")).status).toBe(400);
  });

  it("lists children for the lazy tree", async () => {
    const entity = await (await api("/synsets/n00001740/children")).json();
    // physical entity, abstraction, thing; each has children of its own
    expect(entity.children.map((c: { wnid: string }) => c.wnid).sort()).toEqual([
      "n00001930",
      "n00002137",
      "n04424418",
    ]);
    expect(entity.children.every((c: { childCount: number }) => c.childCount > 0)).toBe(true);
  });

  it("publishes an OpenAPI 3.1 document that names every route and its schemas", async () => {
    const doc = await (await api("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    // Exact coverage (every route, and nothing else) is checked against the route-policy table in roles.test.ts.
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/health", "/stats", "/synsets", "/synsets/{wnid}", "/images/{id}", "/tasks/next"]),
    );
    for (const name of [
      "SynsetDetail",
      "SynsetCounts",
      "SynsetChild",
      "SynsetSearchResult",
      "Stats",
      "Error",
      "ImageDetail",
      "SynsetImages",
      "IngestRun",
      "IngestOptions",
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[ref.split("/").pop() as string], ref).toBeDefined();
  });
});
