import { type ChildProcess, spawn } from "node:child_process";
import { createDb, dbEnv, openDatabase } from "@arbor/db";
import { MIGRATIONS_DIR, runMigrations } from "@arbor/db/migrate";
import { PgBossQueue } from "@arbor/jobs";
import { createBlobStore } from "@arbor/storage";
import { importWordnet, isWordnetImported } from "@arbor/usecases/wordnet";
import type { Command } from "commander";
import { z } from "zod";
import { progressBar } from "../progress.ts";
import { buildWebAppIfStale, nextBin, WEB_DIR } from "../web/web-app.ts";
import { startWorkers } from "../workers.ts";

const optionsSchema = z.object({
  port: z.coerce.number().int().min(1).max(65535),
  host: z.string().min(1),
  dev: z.boolean().default(false),
});

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("start Arbor: database (embedded unless DATABASE_URL), migrations, WordNet on first run, web app")
    .option("-p, --port <port>", "HTTP port (default: $PORT or 3000)", process.env.PORT ?? "3000")
    .option("-H, --host <host>", "address to listen on", "0.0.0.0")
    .option("--dev", "run the web app in development mode (hot reload, no build)")
    .action(async (raw: unknown) => start(optionsSchema.parse(raw)));
}

async function start(options: z.infer<typeof optionsSchema>): Promise<void> {
  const log = (line: string) => console.log(`[arbor] ${line}`);
  const database = await openDatabase();
  log(database.ownsServer ? "started the embedded PostgreSQL" : "using a running PostgreSQL");
  let web: ChildProcess | undefined;
  let stopping = false;
  const db = createDb(database.url, 4);
  const jobs = new PgBossQueue({ connectionString: database.url });

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("shutting down…");
    if (web && web.exitCode === null) {
      const exited = new Promise((resolve) => web?.once("exit", resolve));
      web.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (web.exitCode === null) web.kill("SIGKILL");
    }
    await jobs.stop().catch(() => {});
    await db.$disconnect();
    await database.close();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    const migrated = await runMigrations(database.url, MIGRATIONS_DIR, {
      onApply: (name) => log(`applying migration ${name}`),
    });
    if (migrated.applied.length === 0) log("database schema is up to date");
    if (!(await isWordnetImported(db))) {
      log("importing WordNet 3.0 (first run)…");
      const bar = progressBar("WordNet");
      const result = await importWordnet(db, { onProgress: bar.update }).finally(bar.stop);
      log(`imported ${result.synsets} synsets and ${result.edges} is-a edges`);
    }
    if (!options.dev) await buildWebAppIfStale(log);
    await startWorkers({ db, blobs: await createBlobStore(dbEnv().arborHome), jobs });
    log("background workers running");
  } catch (error) {
    console.error(`[arbor] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
    return;
  }

  web = spawn(
    process.execPath,
    [nextBin(), options.dev ? "dev" : "start", "-p", String(options.port), "-H", options.host],
    {
      cwd: WEB_DIR,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: options.dev ? "development" : "production" },
    },
  );
  web.on("exit", (code) => {
    if (!stopping) {
      log(`the web app exited (code ${code})`);
      void shutdown(code ?? 1);
    }
  });
  const shownHost = options.host === "0.0.0.0" ? "localhost" : options.host;
  log(`Arbor is running at http://${shownHost}:${options.port}  (Ctrl-C stops it)`);
}
