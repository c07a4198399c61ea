import { datasetDefinitionSchema } from "@arbor/core";
import {
  classPreviewSchema,
  datasetDiffSchema,
  datasetVersionDetailSchema,
  datasetVersionSummarySchema,
  exportOptionsSchema,
  exportSummarySchema,
} from "@arbor/usecases";
import { z } from "zod";
import { error, idParameter, json, ref } from "./openapi-helpers";

/** OpenAPI paths of dataset versions, exports and blob downloads. */

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
const definitionBody = {
  required: true,
  content: { "application/json": { schema: ref(datasetDefinitionSchema) } },
};

export const datasetPaths = {
  "/datasets": {
    get: {
      summary: "Dataset versions, newest first",
      responses: { 200: json(versionList, "every version of every dataset") },
    },
    post: {
      summary: "Freeze a definition into the next immutable version of its dataset (classes, images, train/val/test)",
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
};
