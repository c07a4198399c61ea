import type { z } from "zod";
import { initBackend } from "../backends/index.ts";
import type { backendChoiceSchema } from "../training/config.ts";

/** Selects and initialises the tfjs backend and says which one runs (on stderr: stdout may carry JSON). */
export async function startBackend(requested?: z.infer<typeof backendChoiceSchema>): Promise<string> {
  const info = await initBackend(requested);
  console.error(`backend: ${info.name} (${info.detail})`);
  return info.name;
}
