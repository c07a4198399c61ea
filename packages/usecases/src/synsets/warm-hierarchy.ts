import { getServices } from "../services.ts";
import { loadHierarchy } from "./hierarchy-cache.ts";

/**
 * Loads the process's copy of the hierarchy (loadHierarchy) on the process's services: what a long-running
 * server calls as it starts, so that its first synset page or search does not wait for it (2.9 s for WordNet's
 * 82,115 noun synsets). A request that arrives meanwhile waits for the same load, not a second one.
 */
export async function warmHierarchy(): Promise<void> {
  await loadHierarchy((await getServices()).db);
}
