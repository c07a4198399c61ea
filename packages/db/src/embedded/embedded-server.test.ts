import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedServer } from "./embedded-server.ts";
import { execFileAsync } from "./exec.ts";
import { readRunningServer } from "./postmaster-pid.ts";

const home = await mkdtemp(path.join(tmpdir(), "arbor-home-"));
const dataDir = path.join(home, "postgres", "data");
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  await rm(home, { recursive: true, force: true });
});

async function select1(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>("select 1 as one")).rows[0]?.one as number;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("installs no signal handlers: the owning process decides how to shut down", async () => {
    // In a fresh process, since handlers installed on import would already be counted in this one.
    const script = `
      const db = await import(${JSON.stringify(fileURLToPath(new URL("../index.ts", import.meta.url)))});
      const server = await db.startEmbeddedServer({ home: ${JSON.stringify(home)}, fast: true });
      await server.stop();
      console.log(process.listenerCount("SIGINT"), process.listenerCount("SIGTERM"));`;
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    expect(stdout.trim()).toBe("0 0");
  });

  it("runs one server per ARBOR_HOME: processes starting at once share it", async () => {
    const servers = await Promise.all([0, 1, 2].map(() => startEmbeddedServer({ home, fast: true })));
    stops.push(...servers.map((s) => s.stop));
    expect(servers.filter((s) => s.owned)).toHaveLength(1);
    expect(new Set(servers.map((s) => s.url)).size).toBe(1);
    expect(await select1(servers[0]?.url as string)).toBe(1);

    const owner = servers.find((s) => s.owned);
    await owner?.stop();
    expect(await readRunningServer(dataDir)).toBeNull();
  });

  it("recovers after the server was killed, keeping its committed data", async () => {
    const first = await startEmbeddedServer({ home }); // durable settings: fast mode may lose the last commit
    stops.push(first.stop);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query("create table survivor (id int); insert into survivor values (42)");
    await client.end();

    const running = await readRunningServer(dataDir);
    process.kill(running?.pid as number, "SIGKILL"); // a crash: postmaster.pid stays behind
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).toContain(String(running?.pid));

    const second = await startEmbeddedServer({ home });
    stops.push(second.stop);
    expect(second.owned).toBe(true);
    const after = new pg.Client({ connectionString: second.url });
    await after.connect();
    expect((await after.query("select id from survivor")).rows).toEqual([{ id: 42 }]);
    await after.end();
  });
});
