/**
 * Runs once as the server starts (Next's instrumentation hook): loads the WordNet hierarchy in the background,
 * so the first synset page or search after a start is not the one that waits ~3 s for it.
 */
export async function register(): Promise<void> {
  // biome-ignore lint/style/noProcessEnv: Next writes this literal in per runtime when it builds, which is what drops the Node-only import from the edge build (behind a function it bundled @arbor/db for the edge: 85 warnings).
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { warmAtStart } = await import("./server/warm-at-start");
    warmAtStart();
  }
}
