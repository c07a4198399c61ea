import { z } from "zod";
import { splitSchema } from "../export/export-format.ts";
import { wnidSchema } from "../wnid.ts";

/**
 * What a researcher asks for when freezing a dataset version. Stored verbatim (normalised) with the version,
 * so the version page can always say how it was made.
 */

export const classSetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("wnids"), wnids: z.array(wnidSchema).min(1).max(50_000) }),
  z.object({
    kind: z.literal("subtree"),
    roots: z.array(wnidSchema).min(1).max(100),
    /** Only synsets with at least this many usable images become classes. */
    minImages: z.number().int().min(1).default(1),
  }),
  z.object({ kind: z.literal("ilsvrc2012") }),
]);
export type ClassSet = z.infer<typeof classSetSchema>;

/** ILSVRC forbids a class that is an ancestor of another; the researcher says which side to drop. */
export const conflictResolutionSchema = z.enum(["report", "drop-ancestors", "drop-descendants"]);
export type ConflictResolution = z.infer<typeof conflictResolutionSchema>;

export const splitSpecSchema = z.discriminatedUnion("mode", [
  z
    .object({
      mode: z.literal("fractions"),
      train: z.number().min(0).max(1),
      val: z.number().min(0).max(1),
      test: z.number().min(0).max(1),
    })
    .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-9, "train + val + test must sum to 1"),
  z.object({
    mode: z.literal("counts"),
    /** Images per class held out for val and test; the rest of each class goes to train. */
    val: z.number().int().min(0),
    test: z.number().int().min(0),
  }),
]);
export type SplitSpec = z.infer<typeof splitSpecSchema>;

export const datasetDefinitionSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "use letters, digits, spaces, dots, dashes and underscores"),
    description: z.string().max(2000).default(""),
    classes: classSetSchema,
    conflicts: conflictResolutionSchema.default("report"),
    /** An internal-node class also takes the verified images of its descendants. */
    includeDescendants: z.boolean().default(false),
    /** Which links count: verified only (the default), or candidates too (noisy-label experiments). */
    links: z.enum(["verified", "verified-and-candidates"]).default("verified"),
    /** At most this many images per class, chosen deterministically from (seed, sha256). */
    maxPerClass: z.number().int().min(1).optional(),
    /** Classes with fewer usable images are left out (and reported). */
    minPerClass: z.number().int().min(1).default(1),
    splits: splitSpecSchema.default({ mode: "fractions", train: 0.8, val: 0.1, test: 0.1 }),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /**
     * Splits whose labels are withheld (a challenge's hidden test set): their images become restricted, so
     * nobody but admins and the version's owner sees their labels, and only they may export them labelled.
     */
    withholdLabels: z
      .array(splitSchema)
      .max(3)
      .refine((splits) => new Set(splits).size === splits.length, "name each split once")
      .default([]),
    /**
     * Let images verified by a model's auto-accept (no votes) into val and test. Off by default: an evaluation
     * must not grade a model on labels a model gave, so such images (and their near-duplicates) go to train.
     */
    modelVerifiedInEval: z.boolean().default(false),
  })
  .meta({ id: "DatasetDefinition" });
export type DatasetDefinitionInput = z.input<typeof datasetDefinitionSchema>;
export type DatasetDefinition = z.infer<typeof datasetDefinitionSchema>;
