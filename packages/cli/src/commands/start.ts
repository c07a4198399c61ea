import { type ChildProcess, spawn } from "node:child_process";
import type { OpenServices } from "@arbor/usecases";
import { importWordnet, isWordnetImported } from "@arbor/usecases/wordnet";
import type { Command } from "commander";
import { z } from "zod";
import { childProcessEnv, cliEnv } from "../env.ts";
import { progressBar } from "../progress.ts";
import { untilStopSignal, withServices } from "../services.ts";
import { buildWebAppIfStale, generateRouteIndex, nextBin, WEB_DIR } from "../web/web-app.ts";
import { startWorkers } from "../workers.ts";

const optionsSchema = z.object({
  port: z.coerce.number().int().min(1).max(65535),
  host: z.string().min(1),
  dev: z.boolean().default(false),
});

type StartOptions = z.infer<typeof optionsSchema>;

export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("start Arbor: database (embedded unless DATABASE_URL), migrations, WordNet on first run, web app")
    .option("-p, --port <port>", "HTTP port (default: $PORT or 3000)")
    .option("-H, --host <host>", "address to listen on", "0.0.0.0")
    .option("--dev", "run the web app in development mode (hot reload, no build)")
    .action(async (raw: { port?: string }) => start(optionsSchema.parse({ ...raw, port: raw.port ?? cliEnv().port })));
}

const log = (line: string) => console.log(`[arbor] ${line}`);

/**
 * Database, migrations, WordNet on first run, the web build when stale, the background workers, then the web
 * app, until Ctrl-C or until the web app exits; then everything is stopped in reverse order.
 */
async function start(options: StartOptions): Promise<void> {
  const stop = untilStopSignal();
  const code = await withServices(
    async (services, { database, migrated }) => {
      log(database.ownsServer ? "started the embedded PostgreSQL" : "using a running PostgreSQL");
      if (migrated.applied.length === 0) log("database schema is up to date");
      const workers = { stopSweep: () => {} };
      const prepared = prepare(services, options, workers);
      // Ctrl-C during the preparation stops it; what it was doing is transactional (import) or redone (build).
      const outcome = await Promise.race([prepared, stop.then(() => "stopped" as const)]);
      if (outcome !== "ready") {
        if (outcome instanceof Error) console.error(`[arbor] ${outcome.message}`);
        log("shutting down…");
        return outcome === "stopped" ? 0 : 1;
      }
      const web = spawn(
        process.execPath,
        [nextBin(), options.dev ? "dev" : "start", "-p", String(options.port), "-H", options.host],
        {
          cwd: WEB_DIR,
          stdio: ["ignore", "inherit", "inherit"],
          env: childProcessEnv({
            DATABASE_URL: services.databaseUrl,
            NODE_ENV: options.dev ? "development" : "production",
          }),
        },
      );
      const exited = new Promise<number>((resolve) => web.once("exit", (status) => resolve(status ?? 1)));
      const shownHost = options.host === "0.0.0.0" ? "localhost" : options.host;
      log(`Arbor is running at http://${shownHost}:${options.port}  (Ctrl-C stops it)`);
      let stopping = false;
      const status = await Promise.race([
        exited.then((status) => {
          if (!stopping) log(`the web app exited (code ${status})`);
          return status;
        }),
        stop.then(() => 0),
      ]);
      stopping = true;
      log("shutting down…");
      await stopWebApp(web);
      workers.stopSweep();
      return status;
    },
    { onMigration: (name) => log(`applying migration ${name}`) },
  );
  log("stopped");
  process.exit(code);
}

/** WordNet on first run, the web build when stale, the workers; an error is returned, to be reported. */
async function prepare(
  services: OpenServices,
  options: StartOptions,
  workers: { stopSweep: () => void },
): Promise<"ready" | Error> {
  try {
    if (!(await isWordnetImported(services.db))) {
      log("importing WordNet 3.0 (first run)…");
      const bar = progressBar("WordNet");
      const result = await importWordnet(services.db, { onProgress: bar.update }).finally(bar.stop);
      log(`imported ${result.synsets} synsets and ${result.edges} is-a edges`);
    }
    // `next dev` compiles the route index too; `next build` only when the sources changed.
    if (options.dev) await generateRouteIndex();
    else await buildWebAppIfStale(log);
    workers.stopSweep = await startWorkers(services);
    log("background workers running");
    return "ready";
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** SIGTERM, and SIGKILL after 10 s. */
async function stopWebApp(web: ChildProcess): Promise<void> {
  if (web.exitCode !== null || web.signalCode !== null) return;
  const exited = new Promise((resolve) => web.once("exit", resolve));
  web.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (web.exitCode === null && web.signalCode === null) web.kill("SIGKILL");
}
