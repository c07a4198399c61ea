import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { z } from "zod";
import { childProcessEnv } from "../env.ts";
import { freePort } from "../net/free-port.ts";
import { initCluster, postgresBinaries, postgresUser } from "./binaries.ts";
import { runProgram } from "./exec.ts";
import { readRunningServer } from "./postmaster-pid.ts";
import { withStartLock } from "./start-lock.ts";

export interface EmbeddedServerOptions {
  /** ARBOR_HOME: the server lives in `<home>/postgres`. */
  home: string;
  database?: string;
  /** Trade durability for speed (fsync off). For throwaway test servers only. */
  fast?: boolean;
}

export interface EmbeddedServer {
  url: string;
  /** Connection URL of another database on the same server. */
  urlFor(database: string): string;
  /** True when this process started the server (and so stops it); false when it reuses a running one. */
  owned: boolean;
  /** Stops the server if this process started it; a no-op for a reused one. */
  stop(): Promise<void>;
}

const credentialsSchema = z.object({ user: z.string(), password: z.string() });

/**
 * The embedded PostgreSQL of an ARBOR_HOME: reuses the server another process (web, worker, CLI) already
 * runs there, or initialises and starts one. The server runs as a pg_ctl daemon, so it belongs to no
 * single Node process; its owner stops it on shutdown. Two processes starting at once are serialised by a
 * lock, and PostgreSQL's own postmaster.pid tells whether a server is really up (a stale one after a crash
 * is ignored and replaced by pg_ctl).
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const root = path.join(options.home, "postgres");
  const dataDir = path.join(root, "data");
  const database = options.database ?? "arbor";
  await mkdir(root, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root; as root it runs as the `postgres` user, who must reach the data dir.
  if (asRoot) await chmod(options.home, 0o755).then(() => chmod(root, 0o755));

  return withStartLock(path.join(root, "start.lock"), async () => {
    const credentials = await loadOrCreateCredentials(root, dataDir);
    const urlFor = (port: number) => (db: string) =>
      `postgresql://${credentials.user}:${credentials.password}@127.0.0.1:${port}/${db}`;

    const running = await readRunningServer(dataDir);
    if (running && (await canConnect(urlFor(running.port)("postgres")))) {
      await ensureDatabase(urlFor(running.port)("postgres"), database);
      return { url: urlFor(running.port)(database), urlFor: urlFor(running.port), owned: false, stop: async () => {} };
    }

    const binaries = await postgresBinaries();
    const runAs = asRoot ? await postgresUser() : undefined;
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      await rm(dataDir, { recursive: true, force: true }); // an initdb killed half-way leaves junk
      await initCluster(binaries, dataDir, credentials, runAs);
    }

    const port = await freePort();
    const settings = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      "-c unix_socket_directories=''",
      "-c max_connections=200",
      ...(options.fast ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] : []),
    ].join(" ");
    const pgCtl = (args: string[]) =>
      runProgram(binaries.pg_ctl, args, { ...runAs, env: childProcessEnv({ LC_ALL: "C" }) });
    await startServer(pgCtl, dataDir, settings);
    await ensureDatabase(urlFor(port)("postgres"), database);
    let stopped = false;
    return {
      url: urlFor(port)(database),
      urlFor: urlFor(port),
      owned: true,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await pgCtl(["stop", "-w", "-m", "fast", "-D", dataDir]).catch(() => {});
      },
    };
  });
}

/**
 * Starts the server with pg_ctl. After a crash, postmaster.pid names a dead (or zombie) process, which
 * PostgreSQL may take for a live one, so it is removed (we hold the start lock, and no live server owns
 * it); orphaned backends of a killed server hold its shared memory for a moment, hence the retries.
 */
async function startServer(pgCtl: (args: string[]) => Promise<void>, dataDir: string, settings: string): Promise<void> {
  const log = path.join(dataDir, "server.log");
  for (let attempt = 1; ; attempt++) {
    await rm(path.join(dataDir, "postmaster.pid"), { force: true });
    try {
      await pgCtl(["start", "-w", "-t", "60", "-D", dataDir, "-l", log, "-o", settings]);
      return;
    } catch (error) {
      if (attempt >= 10) {
        const tail = (await readFile(log, "utf8").catch(() => "")).trim().split("\n").slice(-5).join("\n");
        throw new Error(`${(error as Error).message}\n${log}:\n${tail}`);
      }
      await sleep(500 * attempt);
    }
  }
}

async function loadOrCreateCredentials(root: string, dataDir: string): Promise<z.infer<typeof credentialsSchema>> {
  const file = path.join(root, "credentials.json");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text) return credentialsSchema.parse(JSON.parse(text));
  if (existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new Error(`${file} is missing, so the database in ${dataDir} cannot be opened; restore it or delete ${root}`);
  }
  const credentials = { user: "arbor", password: randomBytes(18).toString("base64url") };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (rowCount === 0) {
      await client.query(`create database ${pg.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}
