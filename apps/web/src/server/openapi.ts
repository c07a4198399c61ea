import { datasetDefinitionSchema } from "@arbor/core";
import {
  answersSchema,
  campaignPolicySchema,
  campaignStatsSchema,
  classPreviewSchema,
  createModelSchema,
  datasetDiffSchema,
  datasetVersionDetailSchema,
  datasetVersionSummarySchema,
  exportOptionsSchema,
  exportSummarySchema,
  imageDetailSchema,
  imagePredictionSchema,
  ingestOptionsSchema,
  ingestRunSchema,
  MAX_PREDICTION_LINES,
  modelArtifactSchema,
  modelDetailSchema,
  modelSummarySchema,
  predictionLineSchema,
  ROUTE_POLICY,
  type RouteKey,
  statsSchema,
  synsetChildrenSchema,
  synsetDetailSchema,
  synsetImagesSchema,
  synsetSearchResultSchema,
  taskSchema,
} from "@arbor/usecases";
import { z } from "zod";

/**
 * The REST API's OpenAPI 3.1 document. Response bodies are the use-cases' zod schemas, so the document
 * cannot drift from what handlers return; paths are listed here, one entry per route.
 */

const errorSchema = z
  .object({ error: z.object({ status: z.number().int(), message: z.string() }) })
  .meta({ id: "Error" });

const ref = (schema: z.ZodType) => ({ $ref: `#/components/schemas/${(schema.meta() as { id: string }).id}` });
const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema: ref(schema) } },
});
const error = (description: string) => json(errorSchema, description);
const runStarted = z.object({ runId: z.number().int() }).meta({ id: "RunStarted" });
const versionCreated = datasetVersionSummarySchema
  .pick({ datasetId: true, name: true, number: true, classCount: true, imageCount: true })
  .extend({
    versionId: z.number().int(),
    report: z.record(z.string(), z.unknown()).meta({
      description:
        "freeze report: conflicts, dropped classes, multi-class images, capped images, near-duplicate groups, leakage",
    }),
  })
  .meta({ id: "DatasetVersionCreated" });
const versionList = z.object({ items: z.array(datasetVersionSummarySchema) }).meta({ id: "DatasetVersionList" });
const exportStarted = z.object({ id: z.number().int(), resumed: z.boolean() }).meta({ id: "ExportStarted" });
const exportFiles = z
  .object({
    items: z.array(
      z.object({
        path: z.string(),
        bytes: z.number().int(),
        url: z.string().nullable().meta({ description: "valid for an hour; null for a server-folder export" }),
      }),
    ),
  })
  .meta({ id: "ExportFiles" });
const modelList = z.object({ items: z.array(modelSummarySchema) }).meta({ id: "ModelList" });
const modelArtifactList = z.object({ items: z.array(modelArtifactSchema) }).meta({ id: "ModelArtifactList" });
const artifactStored = z.object({ name: z.string(), bytes: z.number().int() }).meta({ id: "ArtifactStored" });
const modelCreated = z
  .object({ id: z.string().meta({ description: "the model's id, as a string of digits (usable in every URL)" }) })
  .meta({ id: "ModelCreated" });
const predictionsRecorded = z
  .object({
    accepted: z.number().int().meta({ description: "predictions written (a re-sent line overwrites its score)" }),
    unknownImages: z.number().int().meta({ description: "lines naming an image Arbor does not have" }),
    unknownWnids: z.number().int().meta({ description: "lines naming a synset that does not exist" }),
  })
  .meta({ id: "PredictionsRecorded" });
const imagePredictionList = z.object({ items: z.array(imagePredictionSchema) }).meta({ id: "ImagePredictionsList" });
const definitionBody = {
  required: true,
  content: { "application/json": { schema: ref(datasetDefinitionSchema) } },
};
const idParameter = (what: string) => ({
  name: "id",
  in: "path",
  required: true,
  description: `${what} id`,
  schema: { type: "integer", minimum: 1 },
});
const blob = (description: string) => ({
  description: `${description}; content-addressed, so cached immutably (ETag, 304 on If-None-Match)`,
  content: { "image/*": { schema: { type: "string", format: "binary" } } },
});
const wnidParameter = {
  name: "wnid",
  in: "path",
  required: true,
  description: 'WordNet 3.0 noun synset id, "n" + 8 digits',
  schema: { type: "string", pattern: "^n\\d{8}$", example: "n02084071" },
};

const credentialsJson = {
  type: "object",
  required: ["email", "password"],
  properties: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
};

/** Marks each operation with who may call it (ROUTE_POLICY, the table the handlers enforce). */
function withAccess(paths: Record<string, Record<string, Record<string, unknown>>>) {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const access = ROUTE_POLICY[`${method.toUpperCase()} /api/v1${path}` as RouteKey];
      operation["x-access"] = access;
      if (access !== "public") operation.security = [{ bearer: [] }, { session: [] }];
    }
  }
  return paths;
}

export function openApiDocument() {
  // Every schema given an id with .meta({ id }) becomes a component; references between them stay $refs.
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}` });
  return {
    openapi: "3.1.0",
    info: {
      title: "Arbor API",
      version: "1",
      description: "Arbor builds ImageNet-style datasets on the WordNet 3.0 noun hierarchy.",
    },
    servers: [{ url: "/api/v1" }],
    paths: withAccess({
      "/health": {
        get: {
          summary: "Liveness",
          responses: {
            200: {
              description: "the server is up",
              content: { "application/json": { schema: { type: "object", properties: { ok: { const: true } } } } },
            },
          },
        },
      },
      "/stats": {
        get: { summary: "Counts of synsets, edges and images", responses: { 200: json(statsSchema, "totals") } },
      },
      "/synsets": {
        get: {
          summary: "Search synsets by wnid, lemma (exact, then prefix) or gloss words",
          parameters: [
            { name: "q", in: "query", required: true, schema: { type: "string", minLength: 1, maxLength: 200 } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: {
            200: json(synsetSearchResultSchema, "ranked matches"),
            400: error("missing or invalid q/limit"),
          },
        },
      },
      "/synsets/{wnid}": {
        get: {
          summary: "A synset with parents, children, paths to the root and image counts",
          parameters: [wnidParameter],
          responses: {
            200: json(synsetDetailSchema, "the synset"),
            400: error("malformed wnid"),
            404: error("no such synset"),
          },
        },
      },
      "/synsets/{wnid}/children": {
        get: {
          summary: "The children of a synset with their counts (for lazy tree expansion)",
          parameters: [wnidParameter],
          responses: {
            200: json(synsetChildrenSchema, "the children"),
            400: error("malformed wnid"),
            404: error("no such synset"),
          },
        },
      },
      "/synsets/{wnid}/images": {
        get: {
          summary: "A page of a synset's images, newest first (keyset pagination)",
          parameters: [
            wnidParameter,
            { name: "state", in: "query", schema: { type: "string", enum: ["candidate", "verified", "rejected"] } },
            { name: "descendants", in: "query", schema: { type: "boolean", default: false } },
            {
              name: "cursor",
              in: "query",
              schema: { type: "integer" },
              description: "nextCursor of the previous page",
            },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 60 } },
          ],
          responses: { 200: json(synsetImagesSchema, "a page"), 400: error("bad query"), 404: error("no such synset") },
        },
      },
      "/synsets/{wnid}/uploads": {
        post: {
          summary:
            "Upload image files (multipart field `files`) as candidates of the synset; ingested in the background",
          parameters: [wnidParameter],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: { files: { type: "array", items: { type: "string", format: "binary" } } },
                },
              },
            },
          },
          responses: {
            202: json(runStarted, "the ingest run that processes the upload"),
            400: error("no files"),
            404: error("no such synset"),
            413: error("too many files, or too large"),
          },
        },
      },
      "/images/{id}": {
        get: {
          summary: "An image: metadata, sources, synset links with states, near-duplicates",
          parameters: [idParameter("image")],
          responses: { 200: json(imageDetailSchema, "the image"), 400: error("bad id"), 404: error("no such image") },
        },
      },
      "/images/{id}/thumbnail": {
        get: {
          summary: "WebP thumbnail (at most 256 px)",
          parameters: [idParameter("image")],
          responses: { 200: blob("the thumbnail"), 404: error("no such image") },
        },
      },
      "/images/{id}/original": {
        get: {
          summary: "The original bytes",
          parameters: [idParameter("image")],
          responses: { 200: blob("the original"), 404: error("no such image") },
        },
      },
      "/ingest-runs": {
        get: { summary: "Recent ingest runs", responses: { 200: { description: "runs, newest first" } } },
        post: {
          summary: "Start an ingest from a server folder, a URL list or S3 (paths must lie inside ARBOR_INGEST_ROOTS)",
          requestBody: { required: true, content: { "application/json": { schema: ref(ingestOptionsSchema) } } },
          responses: {
            202: json(runStarted, "the queued run"),
            400: error("invalid options"),
            403: error("path outside the ingest roots"),
          },
        },
      },
      "/auth/login": {
        post: {
          summary: "Sign in with email and password; sets the httpOnly session cookie",
          requestBody: { required: true, content: { "application/json": { schema: credentialsJson } } },
          responses: {
            200: { description: "signed in" },
            400: error("malformed body"),
            401: error("wrong email or password"),
          },
        },
      },
      "/auth/logout": {
        post: { summary: "Sign out (ends the session)", responses: { 200: { description: "signed out" } } },
      },
      "/auth/setup": {
        post: {
          summary: "First run only: create the first admin while no user exists, and sign in",
          requestBody: { required: true, content: { "application/json": { schema: credentialsJson } } },
          responses: {
            201: { description: "the first admin" },
            400: error("invalid"),
            409: error("users exist already"),
          },
        },
      },
      "/auth/me": {
        get: {
          summary: "Who is calling",
          responses: { 200: { description: "the user" }, 401: error("not signed in") },
        },
      },
      "/campaigns": {
        get: { summary: "Labelling campaigns, newest first", responses: { 200: { description: "campaigns" } } },
        post: {
          summary: "Start labelling a synset's candidates (or, with subtree, every synset below it that has some)",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["wnid"],
                  properties: {
                    wnid: { type: "string" },
                    policy: ref(campaignPolicySchema),
                    subtree: { type: "boolean" },
                  },
                },
              },
            },
          },
          responses: { 201: { description: "the campaigns created: {ids}" }, 400: error("invalid, or no candidates") },
        },
      },
      "/campaigns/{id}": {
        get: {
          summary: "A campaign's progress: items per decision, votes, throughput, confidence table",
          parameters: [idParameter("campaign")],
          responses: { 200: json(campaignStatsSchema, "the campaign"), 404: error("no such campaign") },
        },
      },
      "/campaigns/{id}/reviews": {
        post: {
          summary:
            "Settle an image of the campaign as verified or rejected (admin override, e.g. from the review queue)",
          parameters: [idParameter("campaign")],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["imageId", "decision"],
                  properties: { imageId: { type: "integer" }, decision: { enum: ["verified", "rejected"] } },
                },
              },
            },
          },
          responses: { 200: { description: "done" }, 400: error("invalid"), 404: error("not in the campaign") },
        },
      },
      "/annotators": {
        get: {
          summary: "Annotators: votes, gold accuracy, agreement with consensus, speed",
          responses: { 200: { description: "the table" } },
        },
      },
      "/annotators/{id}/block": {
        post: {
          summary: "Block or unblock an annotator (blocked: signed out, votes discounted)",
          parameters: [idParameter("user")],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { type: "object", required: ["blocked"], properties: { blocked: { type: "boolean" } } },
              },
            },
          },
          responses: { 200: { description: "done" }, 404: error("no such user") },
        },
      },
      "/tasks/next": {
        get: {
          summary: "Lease the caller's next task (a grid of images for one synset, gold questions mixed in)",
          responses: { 200: json(taskSchema, "the task"), 204: { description: "nothing left for this annotator" } },
        },
      },
      "/tasks/{taskId}/answers": {
        post: {
          summary: "Answer a task: listed images are yes, every other image is no (idempotent)",
          parameters: [{ name: "taskId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          requestBody: { required: true, content: { "application/json": { schema: ref(answersSchema) } } },
          responses: {
            200: { description: "votes recorded: {recorded, alreadySubmitted}" },
            400: error("images not in the task"),
            403: error("someone else's task"),
            404: error("no such task"),
            409: error("the lease expired"),
          },
        },
      },
      "/datasets": {
        get: {
          summary: "Dataset versions, newest first",
          responses: { 200: json(versionList, "every version of every dataset") },
        },
        post: {
          summary:
            "Freeze a definition into the next immutable version of its dataset (classes, images, train/val/test)",
          requestBody: definitionBody,
          responses: {
            201: json(versionCreated, "the new version and its freeze report"),
            400: error("malformed definition"),
            422: error("cannot be frozen as asked: unknown wnids, unresolved conflicts (detail.conflicts), no images"),
          },
        },
      },
      "/datasets/preview": {
        post: {
          summary: "The classes a definition would freeze, with available images and ancestor/descendant conflicts",
          requestBody: definitionBody,
          responses: {
            200: json(classPreviewSchema, "the class set (nothing is written)"),
            400: error("malformed definition"),
            422: error("unknown wnids"),
          },
        },
      },
      "/datasets/{id}": {
        get: {
          summary: "A version: definition, freeze report, images per class and split, leakage check, exports",
          parameters: [idParameter("dataset version")],
          responses: {
            200: json(datasetVersionDetailSchema, "the version"),
            404: error("no such version"),
          },
        },
      },
      "/datasets/{id}/diff": {
        get: {
          summary: "What changed from version `against` to this one: classes, images added, removed and moved",
          parameters: [
            idParameter("dataset version"),
            {
              name: "against",
              in: "query",
              required: true,
              description: "the version to compare with (usually an earlier one of the same dataset)",
              schema: { type: "integer", minimum: 1 },
            },
          ],
          responses: {
            200: json(datasetDiffSchema, "the differences"),
            400: error("missing or bad against"),
            404: error("no such version"),
          },
        },
      },
      "/datasets/{id}/exports": {
        post: {
          summary:
            "Export a version in the background (ImageFolder, JSONL or WebDataset); an unfinished identical export is resumed",
          parameters: [idParameter("dataset version")],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  allOf: [
                    ref(exportOptionsSchema),
                    {
                      type: "object",
                      properties: {
                        destination: {
                          type: ["string", "null"],
                          description:
                            "absent: Arbor's blob store (downloadable); s3://bucket/prefix; or a server folder inside ARBOR_EXPORT_ROOTS",
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
          responses: {
            202: json(exportStarted, "the export to watch"),
            400: error("invalid options or destination"),
            403: error("destination outside ARBOR_EXPORT_ROOTS"),
            404: error("no such version"),
          },
        },
      },
      "/exports/{id}": {
        get: {
          summary: "An export's status, progress and location",
          parameters: [idParameter("export")],
          responses: { 200: json(exportSummarySchema, "the export"), 404: error("no such export") },
        },
      },
      "/exports/{id}/files": {
        get: {
          summary: "A finished export's files with presigned download links (empty until it has succeeded)",
          parameters: [idParameter("export")],
          responses: { 200: json(exportFiles, "the files"), 404: error("no such export") },
        },
      },
      "/blobs/{key}": {
        get: {
          summary:
            "An object of the local blob store, for presigned URLs (the signature authorises; 404 when blobs are in S3)",
          parameters: [
            {
              name: "key",
              in: "path",
              required: true,
              description: "the blob key, slashes included (e.g. exports/3/export.json)",
              schema: { type: "string" },
            },
            { name: "expires", in: "query", required: true, schema: { type: "integer" } },
            { name: "signature", in: "query", required: true, schema: { type: "string", pattern: "^[0-9a-f]{64}$" } },
          ],
          responses: {
            200: {
              description: "the bytes, with their content type and length",
              content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
            },
            400: error("invalid key"),
            403: error("bad or expired signature"),
            404: error("no such object, or blobs are in S3"),
          },
        },
      },
      "/images/{id}/predictions": {
        get: {
          summary: "What each model says about the image: its top predictions, best first, newest model first",
          parameters: [idParameter("image")],
          responses: {
            200: json(imagePredictionList, "one entry per model with predictions for the image (none: empty)"),
            400: error("bad id"),
            404: error("no such image"),
          },
        },
      },
      "/models": {
        get: {
          summary: "Registered models, newest first",
          responses: { 200: json(modelList, "the models, with their metrics and prediction counts") },
        },
        post: {
          summary:
            "Register a trained model: architecture, the dataset version it was trained on, final metrics, the training curve (one row per epoch, as in the trainer's metrics.jsonl) and its classes in output order",
          requestBody: {
            required: true,
            description: "datasetVersionId may also be sent as a string of digits",
            content: { "application/json": { schema: ref(createModelSchema) } },
          },
          responses: {
            201: json(modelCreated, "the model (Location: /api/v1/models/{id})"),
            400: error("invalid input, or no such dataset version"),
            413: error("body over 8 MB"),
          },
        },
      },
      "/models/{id}": {
        get: {
          summary: "A model: metrics, training curve, classes, prediction count",
          parameters: [idParameter("model")],
          responses: { 200: json(modelDetailSchema, "the model"), 400: error("bad id"), 404: error("no such model") },
        },
      },
      "/models/{id}/predictions": {
        post: {
          summary: `Record a batch of the model's predictions (at most ${MAX_PREDICTION_LINES} lines); idempotent: a line sent again overwrites its score`,
          parameters: [idParameter("model")],
          requestBody: {
            required: true,
            description:
              "JSON lines (NDJSON), one PredictionLine per line: the image by imageId or sha256, a wnid and a score in [0, 1]. Unknown images and wnids are counted, not fatal; a malformed line rejects the whole batch.",
            content: {
              "application/x-ndjson": {
                schema: { type: "string", description: "newline-separated PredictionLine objects" },
                "x-item-schema": ref(predictionLineSchema),
                example:
                  '{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","wnid":"n02085620","score":0.91}\n{"imageId":12,"wnid":"n02085782","score":0.07}\n',
              },
            },
          },
          responses: {
            200: json(predictionsRecorded, "the batch is stored"),
            400: error("a malformed line (named by its number), or too many lines"),
            404: error("no such model"),
            413: error("body over 8 MB"),
            415: error("a form instead of JSON lines"),
          },
        },
      },
      "/models/{id}/artifacts": {
        get: {
          summary:
            "A model's files in the blob store (weights, model.json, config), with download URLs valid for an hour",
          parameters: [idParameter("model")],
          responses: { 200: json(modelArtifactList, "the artifacts"), 404: error("no such model") },
        },
      },
      "/models/{id}/artifacts/{name}": {
        put: {
          summary: "Upload one file of a model (the body is its bytes); a re-upload replaces it",
          parameters: [
            idParameter("model"),
            { name: "name", in: "path", required: true, schema: { type: "string" }, description: "a file name" },
          ],
          requestBody: {
            required: true,
            content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
          },
          responses: {
            201: json(artifactStored, "stored"),
            400: error("a name that is not a single file name"),
            404: error("no such model"),
            413: error("over 2 GiB"),
          },
        },
      },
      "/ingest-runs/{id}": {
        get: {
          summary: "A run's progress, counts and skip report",
          parameters: [idParameter("ingest run")],
          responses: { 200: json(ingestRunSchema, "the run"), 404: error("no such run") },
        },
      },
    }),
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "an API token: npx arbor token create --email …" },
        session: { type: "apiKey", in: "cookie", name: "arbor_session" },
      },
    },
  };
}
