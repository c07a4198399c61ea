import { wnidSchema } from "@arbor/core";
import { z } from "zod";

/** What each kind of ingest run needs, validated when a run is created and again when a worker runs it. */
export const ingestOptionsSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("folder"),
      path: z.string().min(1),
      mapFile: z.string().min(1).optional(),
      synset: wnidSchema.optional(),
      trusted: z.boolean().default(false),
      roots: z.array(z.string().min(1)).optional().meta({
        description:
          "folders symlinks may lead into (others are skipped): set by the server to ARBOR_INGEST_ROOTS for a web ingest, whatever is sent",
      }),
    }),
    z.object({ kind: z.literal("csv"), path: z.string().min(1), trusted: z.boolean().default(false) }),
    z.object({
      kind: z.literal("s3"),
      url: z.string().regex(/^s3:\/\//, "an S3 source is s3://bucket/prefix"),
      mapFile: z.string().min(1).optional(),
      synset: wnidSchema.optional(),
      trusted: z.boolean().default(false),
    }),
    z.object({
      kind: z.literal("upload"),
      synset: wnidSchema,
      trusted: z.boolean().default(false),
      files: z.array(z.object({ key: z.string(), name: z.string() })).min(1),
    }),
  ])
  .meta({ id: "IngestOptions" });

export type IngestOptions = z.infer<typeof ingestOptionsSchema>;
export type IngestOptionsInput = z.input<typeof ingestOptionsSchema>;

/** The run's source as people read it in lists and reports. */
export function describeSource(options: IngestOptions): string {
  switch (options.kind) {
    case "folder":
    case "csv":
      return options.path;
    case "s3":
      return options.url;
    case "upload":
      return `${options.files.length} uploaded file${options.files.length === 1 ? "" : "s"}`;
  }
}
