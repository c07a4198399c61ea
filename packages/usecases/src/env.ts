import path from "node:path";
import { dbEnv } from "@arbor/db";
import { z } from "zod";

/** Environment of @arbor/usecases, read and validated once, here and nowhere else (README: Configuration). */
export const envSchema = z.object({
  /** Server folders the web app may ingest from (path-separated list). The CLI is not limited. */
  ARBOR_INGEST_ROOTS: z.string().optional(),
  /** Server folders the web app may export to (path-separated list). The CLI is not limited. */
  ARBOR_EXPORT_ROOTS: z.string().optional(),
});

let cached: { ingestRoots: string[]; exportRoots: string[] } | undefined;

export function usecasesEnv(): { ingestRoots: string[]; exportRoots: string[] } {
  if (cached) return cached;
  const env = envSchema.parse(process.env);
  const roots = env.ARBOR_INGEST_ROOTS?.split(path.delimiter).filter(Boolean) ?? [
    path.join(dbEnv().arborHome, "imports"),
  ];
  const exportRoots = env.ARBOR_EXPORT_ROOTS?.split(path.delimiter).filter(Boolean) ?? [
    path.join(dbEnv().arborHome, "exports"),
  ];
  cached = {
    ingestRoots: roots.map((root) => path.resolve(root)),
    exportRoots: exportRoots.map((root) => path.resolve(root)),
  };
  return cached;
}
