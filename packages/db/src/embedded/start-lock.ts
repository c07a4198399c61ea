import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isProcessAlive } from "./process.ts";

/**
 * A cross-process mutex on a directory (mkdir is atomic). Serialises "is the server running, else init and
 * start it" between processes sharing one ARBOR_HOME. A lock left by a crashed process (its pid is gone) is
 * taken over.
 */
export async function withStartLock<T>(lockDir: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const owner = path.join(lockDir, "owner");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(owner, "utf8").catch(() => ""), 10);
      // No owner file yet means the holder is between mkdir and writeFile: wait, unless that lasts.
      if (Number.isInteger(holder) && !isProcessAlive(holder)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the database start lock ${lockDir}`);
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
