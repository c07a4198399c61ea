import { fileURLToPath } from "node:url";
// The training package's own client: the server must answer it exactly as it expects (status codes, id type).
import { createModel, pushPredictions, uploadArtifacts } from "@arbor/train/push-client";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "./browser.ts";

const SCREENSHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
/** The three seeded photos, each verified under its own breed (see global-setup.ts). */
const BREEDS = ["n02085620", "n02085782", "n02085936"];
const UNKNOWN_SHA = "f".repeat(64);

const base = () => inject("arborBaseUrl");
type Role = "admin" | "annotator" | "researcher";
const token = (role: Role) => inject("arborUsers")[role].token;

function call(role: Role | null, route: string, init: { method?: string; body?: unknown; type?: string } = {}) {
  const raw = typeof init.body === "string";
  return fetch(`${base()}/api/v1${route}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(role ? { authorization: `Bearer ${token(role)}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": init.type ?? "application/json" }),
    },
    body: init.body === undefined ? undefined : raw ? (init.body as string) : JSON.stringify(init.body),
  });
}

/** The seeded image of each breed (the first verified one: other test files may add more later). */
async function seededImages(): Promise<Array<{ id: number; sha256: string; wnid: string }>> {
  const images = [];
  for (const wnid of BREEDS) {
    const { items } = await (await call(null, `/synsets/${wnid}/images?state=verified&limit=200`)).json();
    const first = Math.min(...items.map((i: { id: number }) => i.id));
    const detail = await (await call(null, `/images/${first}`)).json();
    images.push({ id: first, sha256: detail.sha256 as string, wnid });
  }
  return images;
}

/** Eight epochs as the trainer's metrics.jsonl writes them (no val split in the first: nulls). */
const CURVE = Array.from({ length: 8 }, (_, i) => {
  const epoch = i + 1;
  const decay = Math.exp(-epoch / 3);
  return {
    epoch,
    trainLoss: Number((0.4 + 1.8 * decay).toFixed(4)),
    trainAcc: Number((0.95 - 0.6 * decay).toFixed(4)),
    valLoss: epoch === 1 ? null : Number((0.55 + 1.6 * decay).toFixed(4)),
    valTop1: epoch === 1 ? null : Number((0.9 - 0.6 * decay).toFixed(4)),
    valTop5: epoch === 1 ? null : Number((0.99 - 0.3 * decay).toFixed(4)),
    lr: Number((0.1 * 0.5 * (1 + Math.cos((Math.PI * i) / 8))).toFixed(5)),
    imgPerSec: 900 + 25 * (i % 3),
    seconds: 12.5,
  };
});

/** Every seeded image: its own breed most likely, the other two less so. */
function predictionLines(images: Awaited<ReturnType<typeof seededImages>>) {
  return images.flatMap((image, i) =>
    BREEDS.map((wnid) => ({
      sha256: image.sha256,
      wnid,
      score: wnid === image.wnid ? 0.9 - 0.1 * i : wnid === BREEDS[(i + 1) % 3] ? 0.07 + 0.05 * i : 0.03,
    })),
  );
}

async function datasetVersion(name: string): Promise<number> {
  const created = await call("researcher", "/datasets?wait=60", {
    body: { name, classes: { kind: "wnids", wnids: BREEDS } },
  });
  expect(created.status).toBe(201);
  return (await created.json()).versionId;
}

describe("the model registry over the API", () => {
  it("takes a model and its predictions from the training package's push client", async () => {
    const versionId = await datasetVersion("e2e-models");
    const images = await seededImages();
    const opts = { baseUrl: base(), token: token("researcher"), retries: 0 };
    const id = await createModel(opts, {
      name: "e2e-resnet",
      architecture: "resnet20",
      datasetVersionId: String(versionId),
      metrics: { epochs: 8, valTop1: 0.85, valTop5: 0.98, valLoss: 0.6, dataset: { id: "x", name: "e2e", version: 1 } },
      curve: CURVE,
      classes: BREEDS,
    });
    expect(id).toMatch(/^\d+$/);
    const lines = [...predictionLines(images), { sha256: UNKNOWN_SHA, wnid: BREEDS[0] as string, score: 0.5 }];
    expect(await pushPredictions(opts, id, lines)).toEqual({ accepted: 9, unknownImages: 1 });

    const model = await (await call("researcher", `/models/${id}`)).json();
    expect(model).toMatchObject({
      id: Number(id),
      name: "e2e-resnet",
      architecture: "resnet20",
      datasetVersionId: versionId,
      dataset: "e2e-models v1",
      classCount: 3,
      classes: BREEDS,
      predictions: 9,
      createdBy: inject("arborUsers").researcher.email,
    });
    expect(model.curve).toEqual(CURVE);
    expect(model.metrics.valTop1).toBe(0.85);
    const list = await (await call("admin", "/models")).json();
    expect(list.items.find((m: { id: number }) => m.id === Number(id))).toMatchObject({ predictions: 9 });
    expect(list.items[0].curve).toBeUndefined(); // summaries only

    // Re-sending a batch (the client does after a timeout) changes nothing: same rows, same count.
    const ndjson = `${[...lines, { sha256: images[0]?.sha256, wnid: "n99999999", score: 0.1 }].map((l) => JSON.stringify(l)).join("\n")}\n`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const again = await call("researcher", `/models/${id}/predictions`, {
        body: ndjson,
        type: "application/x-ndjson",
      });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ accepted: 9, unknownImages: 1, unknownWnids: 1 });
    }
    expect((await (await call("researcher", `/models/${id}`)).json()).predictions).toBe(9);

    // By image id too, and an updated score replaces the old one.
    const byId = await call("admin", `/models/${id}/predictions`, {
      body: `${JSON.stringify({ imageId: images[0]?.id, wnid: BREEDS[0], score: 0.95 })}\n`,
      type: "application/x-ndjson",
    });
    expect(await byId.json()).toMatchObject({ accepted: 1 });

    // What the models say about an image: public like the image, best first.
    const said = await call(null, `/images/${images[0]?.id}/predictions`);
    expect(said.status).toBe(200);
    const { items } = await said.json();
    const mine = items.find((m: { modelId: number }) => m.modelId === Number(id));
    expect(mine.modelName).toBe("e2e-resnet");
    expect(mine.predictions.map((p: { wnid: string }) => p.wnid)).toEqual([BREEDS[0], BREEDS[1], BREEDS[2]]);
    expect(mine.predictions[0]).toMatchObject({ lemmas: expect.arrayContaining(["Chihuahua"]) });
    expect(mine.predictions[0].score).toBeCloseTo(0.95, 5);
    expect((await call(null, "/images/999999/predictions")).status).toBe(404);
    expect((await call(null, "/images/abc/predictions")).status).toBe(400);
  });

  it("stores a model's files in the blob store and offers them for download", async () => {
    const opts = { baseUrl: base(), token: token("researcher"), retries: 0 };
    const id = await createModel(opts, {
      name: "e2e-artifacts",
      architecture: "resnet8",
      metrics: {},
      curve: [],
      classes: [],
    });
    const weights = new Uint8Array(300_000).map((_, i) => i % 251);
    await uploadArtifacts(opts, id, [
      { name: "model.json", bytes: new TextEncoder().encode('{"format":"layers-model"}') },
      { name: "weights.bin", bytes: weights },
    ]);
    const listed = await (await call("researcher", `/models/${id}/artifacts`)).json();
    expect(listed.items.map((a: { name: string }) => a.name)).toEqual(["model.json", "weights.bin"]);
    const url = listed.items[1].url as string;
    const downloaded = new Uint8Array(
      await (await fetch(url.startsWith("http") ? url : `${base()}${url}`)).arrayBuffer(),
    );
    expect(downloaded).toEqual(weights);
    // one file name, never a path; nothing for a model that does not exist
    expect(
      (
        await call("researcher", `/models/${id}/artifacts/.hidden`, {
          method: "PUT",
          body: "x",
          type: "application/octet-stream",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call("researcher", "/models/999999/artifacts/a.bin", {
          method: "PUT",
          body: "x",
          type: "application/octet-stream",
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call("annotator", `/models/${id}/artifacts/a.bin`, {
          method: "PUT",
          body: "x",
          type: "application/octet-stream",
        })
      ).status,
    ).toBe(403);
  });

  it("refuses bad models and bad batches with a clear status, and keeps annotators out", async () => {
    const model = { name: "e2e-bad", architecture: "resnet20", metrics: {}, curve: [], classes: BREEDS };
    const unknownVersion = await call("researcher", "/models", { body: { ...model, datasetVersionId: 999999 } });
    expect(unknownVersion.status).toBe(400);
    expect((await unknownVersion.json()).error.message).toMatch(/no dataset version 999999/);
    const noArchitecture = await call("researcher", "/models", { body: { ...model, architecture: "" } });
    expect(noArchitecture.status).toBe(400);
    expect((await noArchitecture.json()).error.message).toMatch(/architecture/);
    expect((await call("researcher", "/models", { body: "not json" })).status).toBe(400);
    expect((await call("researcher", "/models", { body: [model] })).status).toBe(400);

    const created = await call("researcher", "/models", { body: model });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect(created.headers.get("location")).toBe(`/api/v1/models/${id}`);
    const push = (body: string, type = "application/x-ndjson") =>
      call("researcher", `/models/${id}/predictions`, { body, type });
    const [image] = await seededImages();
    const good = JSON.stringify({ sha256: image?.sha256, wnid: BREEDS[0], score: 0.5 });

    // A malformed line rejects the whole batch, naming the line; nothing is stored.
    for (const [bad, message] of [
      ["{not json", /line 2 is not JSON/],
      [JSON.stringify({ sha256: image?.sha256, wnid: BREEDS[0], score: 1.5 }), /line 2/],
      [JSON.stringify({ wnid: BREEDS[0], score: 0.5 }), /line 2: each line needs imageId or sha256/],
    ] as const) {
      const refused = await push(`${good}\n${bad}\n${good}\n`);
      expect(refused.status, bad).toBe(400);
      expect((await refused.json()).error.message).toMatch(message);
    }
    expect((await (await call("researcher", `/models/${id}`)).json()).predictions).toBe(0);
    const tooMany = await push(`${Array(5001).fill(good).join("\n")}\n`);
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toMatch(/at most 5000 lines/);
    const tooLarge = await push(`${good}\n${" ".repeat(9 * 1024 * 1024)}\n`);
    expect(tooLarge.status).toBe(413);
    expect((await push(good, "multipart/form-data; boundary=x")).status).toBe(415);
    // Empty batches are fine; plain text and JSON content types are read as lines too.
    expect(await (await push("")).json()).toEqual({ accepted: 0, unknownImages: 0, unknownWnids: 0 });
    expect(await (await push(good, "text/plain")).json()).toMatchObject({ accepted: 1 });
    expect((await push(good, "application/json")).status).toBe(200);
    expect((await call("researcher", "/models/999999/predictions", { body: good, type: "text/plain" })).status).toBe(
      404,
    );
    expect((await call("researcher", "/models/999999")).status).toBe(404);

    for (const [method, route] of [
      ["GET", "/models"],
      ["POST", "/models"],
      ["GET", `/models/${id}`],
      ["POST", `/models/${id}/predictions`],
    ] as const) {
      const body = method === "POST" ? (route.endsWith("predictions") ? good : model) : undefined;
      expect((await call("annotator", route, { method, body })).status, `${method} ${route}`).toBe(403);
      expect((await call(null, route, { method, body })).status, `${method} ${route}`).toBe(401);
    }
  });

  it("documents the routes, the NDJSON body included", async () => {
    const doc = await (await fetch(`${base()}/api/v1/openapi.json`)).json();
    const push = doc.paths["/models/{id}/predictions"].post;
    expect(Object.keys(push.requestBody.content)).toEqual(["application/x-ndjson"]);
    expect(push.requestBody.content["application/x-ndjson"]["x-item-schema"]).toEqual({
      $ref: "#/components/schemas/PredictionLine",
    });
    expect(doc.components.schemas.PredictionLine.properties).toHaveProperty("sha256");
    expect(doc.paths["/models"].post.responses[201].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ModelCreated",
    });
    expect(doc.paths["/models/{id}/predictions"].post["x-access"]).toEqual(["researcher", "admin"]);
  });
});

describe("model pages in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("a researcher reads a model's curves, and the image page says what the model predicts", async () => {
    const versionId = await datasetVersion("e2e-models-browser");
    const images = await seededImages();
    const opts = { baseUrl: base(), token: token("researcher"), retries: 0 };
    const id = await createModel(opts, {
      name: "e2e-browser-model",
      architecture: "resnet20",
      datasetVersionId: String(versionId),
      metrics: { epochs: 8, valTop1: 0.82, valTop5: 0.97, valLoss: 0.62 },
      curve: CURVE,
      classes: BREEDS,
    });
    await pushPredictions(opts, id, predictionLines(images));

    const researcher = inject("arborUsers").researcher;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login?next=/models`);
    await page.getByLabel("Email").fill(researcher.email);
    await page.getByLabel("Password").fill(researcher.password);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/models");
    await page.getByRole("navigation").getByRole("link", { name: "Models" }).waitFor();
    const row = page.getByRole("table", { name: "Models" }).locator("tr", { hasText: "e2e-browser-model" });
    expect(await row.textContent()).toMatch(/resnet20.*e2e-models-browser v1.*18\.0%.*3\.0%.*9/);
    await page.screenshot({ path: `${SCREENSHOTS}models.png`, fullPage: true });
    await row.getByRole("link", { name: "e2e-browser-model" }).click();
    await page.waitForURL(`**/models/${id}`);

    const loss = page.getByRole("img", { name: /^Loss per epoch: train loss, val loss$/ });
    await loss.waitFor();
    expect(await loss.locator("path").count()).toBe(2);
    expect(await loss.locator("circle").count()).toBe(8 + 7); // no val loss in epoch 1
    for (const name of [
      /^Accuracy per epoch: train acc, val top1, val top5$/,
      /^Learning rate per epoch/,
      /^Throughput/,
    ])
      await page.getByRole("img", { name }).waitFor();
    expect(await page.getByRole("region", { name: "Summary" }).textContent()).toMatch(/18\.0%top-1 error/);
    expect(await page.getByRole("region", { name: "Classes" }).textContent()).toContain("Chihuahua");
    await page.screenshot({ path: `${SCREENSHOTS}model.png`, fullPage: true });

    await page.goto(`${base()}/images/${images[0]?.id}`);
    const says = page.getByRole("region", { name: "Model says" });
    await says.waitFor();
    const entry = says.locator("div", { has: page.getByRole("link", { name: "e2e-browser-model" }) }).last();
    expect(await entry.locator("li").first().textContent()).toMatch(/Chihuahua\s*n02085620.*90\.0%/);
    await page.screenshot({ path: `${SCREENSHOTS}image-predictions.png`, fullPage: true });

    // Anonymous visitors see the predictions, without links to the (signed-in) model pages.
    await context.clearCookies();
    await page.reload();
    await says.waitFor();
    expect(await says.getByRole("link", { name: "e2e-browser-model" }).count()).toBe(0);
    expect(await says.textContent()).toContain("e2e-browser-model");
    expect(await page.getByRole("navigation").getByRole("link", { name: "Models" }).count()).toBe(0);
    await context.close();
  });
});
