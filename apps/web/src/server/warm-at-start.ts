import { warmHierarchy } from "@arbor/usecases";
import { webEnv } from "../env";

/** What the Node.js server loads as it starts (instrumentation.ts); nothing while `next build` runs. */
export function warmAtStart(): void {
  if (webEnv().building) return;
  // Not awaited: the server answers meanwhile, and a request that needs the hierarchy waits for this load.
  warmHierarchy().catch((error: unknown) => {
    console.error(`arbor: the hierarchy was not loaded at start (the first request will load it): ${String(error)}`);
  });
}
