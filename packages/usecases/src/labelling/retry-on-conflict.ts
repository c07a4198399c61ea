/**
 * Runs a transaction again when PostgreSQL aborted it to break a deadlock or a write conflict (it was
 * rolled back entirely, so running it again is safe). Locks are taken in a consistent order wherever we
 * can; this covers the rest (e.g. two answers completing the same seed set at once), a few times at most.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
    }
  }
}

function isConflict(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    code === "P2034" ||
    /40P01|40001|deadlock detected|TransactionWriteConflict|could not serialize/.test(`${code} ${message}`)
  );
}

/**
 * The transactions of tasks/next and of an answer: a few statements, milliseconds on a quiet machine, but on
 * a 2-core machine at a load of 17 (a build and other tests beside the benchmark) they took 5–60 s, and
 * Prisma's default 5 s timeout turned them into 500s that the client must retry. A slow answer beats a
 * failed one; a real deadlock is still broken by PostgreSQL at once and retried above.
 */
export const LEASE_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };
