import { randomBytes, randomUUID } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/** Lives beside the blobs; the leading dot keeps it out of the key space (keys start with a letter or digit). */
export const SIGNING_SECRET_FILE = ".signing-secret";

/**
 * The local store's URL-signing secret when none is configured: 32 random bytes created once and reused, so
 * URLs stay valid across restarts and every process sharing the blob directory (CLI, web app) agrees on it.
 * Stored as hex text so it can be copied into ARBOR_BLOB_SIGNING_SECRET when the web app runs elsewhere.
 */
export async function loadOrCreateSigningSecret(rootDir: string): Promise<string> {
  const file = path.join(rootDir, SIGNING_SECRET_FILE);
  const existing = await readSecret(file);
  if (existing) return existing;

  await mkdir(rootDir, { recursive: true });
  // Written under a temporary name and then hard-linked: link() never replaces, so when two processes race
  // exactly one secret wins, and nobody can read a half-written file.
  const temp = path.join(rootDir, `${SIGNING_SECRET_FILE}.${randomUUID()}`);
  await writeFile(temp, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temp);
  }
  const secret = await readSecret(file);
  if (!secret) throw new Error(`signing secret file ${file} is empty; delete it to generate a new one`);
  return secret;
}

async function readSecret(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, "utf8")).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
