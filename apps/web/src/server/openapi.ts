import {
  answersSchema,
  campaignPolicySchema,
  campaignStatsSchema,
  imageDetailSchema,
  ingestOptionsSchema,
  ingestRunSchema,
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
import { datasetPaths } from "./openapi/dataset-paths";
import { modelPaths } from "./openapi/model-paths";
import { blob, error, idParameter, json, ref, wnidParameter } from "./openapi/openapi-helpers";

/**
 * The REST API's OpenAPI 3.1 document. Response bodies are the use-cases' zod schemas, so the document
 * cannot drift from what handlers return; paths are listed here, one entry per route.
 */

const runStarted = z.object({ runId: z.number().int() }).meta({ id: "RunStarted" });
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
      ...datasetPaths,
      ...modelPaths,
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
