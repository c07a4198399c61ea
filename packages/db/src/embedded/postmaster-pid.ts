import { readFile } from "node:fs/promises";
import path from "node:path";
import { isProcessAlive } from "./process.ts";

/**
 * The running server of a data directory, read from the postmaster.pid that PostgreSQL itself maintains
 * (line 1: pid, line 4: port). Null when there is none or it belongs to a dead process (a crash).
 */
export async function readRunningServer(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  if (!text) return null;
  const lines = text.split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isProcessAlive(pid)) return null;
  return { pid, port };
}
