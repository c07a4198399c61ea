import { hostname } from "node:os";
import type { Db, Tx } from "@arbor/db";
import { usecasesEnv } from "../env.ts";
import { UseCaseError } from "../errors.ts";

/*
 * The export lock. Two processes writing one export's files at once would interleave partial files, journal
 * rows and export.json, so each run holds a PostgreSQL advisory lock keyed by the export id. Why this
 * mechanism:
 * - A session-level pg_try_advisory_lock must be released on the connection that took it. Prisma's pool
 *   hands each query any connection, the db package lends a raw pg connection only for one COPY (copyOut),
 *   and a second pool per export would need the URL, which the use-cases do not get. An interactive
 *   transaction is Prisma's one way to pin a connection, so the lock is transaction-level
 *   (pg_try_advisory_xact_lock) on a transaction that exists only to hold it: the export itself runs on the pool's other connections, outside it, so its journal
 *   commits as it goes (what resuming relies on). That transaction only runs tiny statements (the lock, the
 *   heartbeat's pings) and otherwise idles, so it keeps no snapshot and does not hold back vacuum; it also
 *   works behind a transaction-mode pooler, where session locks do not.
 * - The lock ends with the transaction: on commit or rollback when the run ends, and at once when the process
 *   dies (its connection closes), so a run killed with SIGKILL can be resumed straight away. A lock row with a
 *   heartbeat would instead refuse the resume until the heartbeat went stale.
 * - Who holds it lives in the lock mechanism too (the export row has no field for it): the transaction sets
 *   its connection's application_name (SET LOCAL, so the pooled connection gets its name back) to this
 *   process's pid and host, and a refused run reads it from pg_stat_activity through pg_locks.
 * - A holder that vanishes without closing its connection loses the lock after the stale-run threshold
 *   (idle_in_transaction_session_timeout), when the sweep would also call its run dead.
 * - Losing the lock's connection (a network failure, that timeout) would let another process in: the
 *   heartbeat pings the transaction, and a failed ping stops the run before its next file.
 */

/** The lock's first key: "expo" in ASCII. The second is the export id (pg_locks: classid, objid, objsubid 2). */
const EXPORT_LOCK_CLASS = 0x6578706f;
/**
 * How long a refused run retries: a holder killed a moment ago keeps its lock until PostgreSQL notices the
 * closed connection, a few milliseconds later (a resume started right after the kill must not be refused).
 */
const LOCK_GRACE_MS = 1000;
/** Prisma wants a finite transaction timeout; this is setTimeout's largest (24.8 days). */
const LOCK_TIMEOUT_MS = 2 ** 31 - 1;

/** The process that holds an export's lock, as the refused run reports it. */
export interface ExportLockHolder {
  /** `arbor-export pid=<pid> host=<host>`: set by the holder when it took the lock. */
  applicationName: string;
  /** The holder's database backend (pg_stat_activity.pid), and where it connects from (null: a local socket). */
  backendPid: number;
  clientAddr: string | null;
  /** When the holder's transaction, i.e. its run, began. */
  since: Date | null;
}

export class ExportLock {
  private lost: unknown;
  private pinging: Promise<void> = Promise.resolve();

  constructor(
    private readonly tx: Tx,
    private readonly exportId: number,
  ) {}

  get held(): boolean {
    return this.lost === undefined;
  }

  /** A statement on the lock's transaction: proves it alive, keeps it from timing out as idle. Never rejects. */
  ping(): Promise<void> {
    this.pinging = this.tx.$queryRaw`SELECT 1`.then(
      () => {},
      (error: unknown) => {
        this.lost ??= error;
      },
    );
    return this.pinging;
  }

  /** Throws once the lock's connection has failed: another process may hold the lock by now. */
  assertHeld(): void {
    if (this.held) return;
    const reason = this.lost instanceof Error ? this.lost.message : String(this.lost);
    throw new Error(
      `export ${this.exportId} lost its lock (its database connection failed: ${reason}); start the same export again to resume it`,
    );
  }

  /** Resolves once no ping is in flight (the transaction must be idle before it commits). */
  settled(): Promise<void> {
    return this.pinging;
  }
}

/** Runs work while holding export `exportId`'s lock; a conflict naming the holder when another process has it. */
export async function withExportLock<T>(db: Db, exportId: number, work: (lock: ExportLock) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      // Both transaction-local (is_local = true): the pooled connection gets its own settings back at commit.
      // The name says who holds the lock. The idle timeout frees the lock of a holder that vanished without
      // closing its connection (a machine lost, a network cut), which TCP alone would notice only after hours:
      // idle past the stale-run threshold, PostgreSQL ends the session. A live holder pings every few seconds.
      const name = `arbor-export pid=${process.pid} host=${hostname()}`.slice(0, 63);
      const idle = `${usecasesEnv().staleRunSeconds}s`;
      await tx.$queryRaw`SELECT set_config('application_name', ${name}, true),
        set_config('idle_in_transaction_session_timeout', ${idle}, true)`;
      const deadline = Date.now() + LOCK_GRACE_MS;
      for (;;) {
        const [row] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(${EXPORT_LOCK_CLASS}::int4, ${exportId}::int4) AS locked`;
        if (row?.locked) break;
        if (Date.now() >= deadline) throw exportLocked(exportId, await exportLockHolder(tx, exportId));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const lock = new ExportLock(tx, exportId);
      try {
        return await work(lock);
      } finally {
        await lock.settled();
      }
    },
    // maxWait: the wait for a pooled connection to hold the lock on (a busy web app's pool may take a moment).
    { maxWait: 30_000, timeout: LOCK_TIMEOUT_MS },
  );
}

/** Who holds export `exportId`'s lock now (null: it was just released). */
async function exportLockHolder(db: Db | Tx, exportId: number): Promise<ExportLockHolder | null> {
  const [holder] = await db.$queryRaw<ExportLockHolder[]>`
    SELECT a.application_name AS "applicationName", a.pid AS "backendPid", host(a.client_addr) AS "clientAddr",
           a.xact_start AS since
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = ${EXPORT_LOCK_CLASS}::int8::oid AND l.objid = ${exportId}::int8::oid AND l.objsubid = 2`;
  return holder ?? null;
}

function exportLocked(exportId: number, holder: ExportLockHolder | null): UseCaseError {
  const who = holder
    ? `${holder.applicationName || "a process without a name"} (database backend ${holder.backendPid}${holder.clientAddr ? ` from ${holder.clientAddr}` : ""}${holder.since ? `, since ${holder.since.toISOString()}` : ""})`
    : "another process (which has just let go of it: try again)";
  return new UseCaseError(
    "conflict",
    `export ${exportId} is already running in ${who}; wait for it to finish, or stop that process and start the same export again to resume it`,
    { holder },
  );
}
