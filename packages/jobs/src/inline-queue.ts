import { randomUUID } from "node:crypto";
import type { JobDefinition, JobQueue } from "./job-queue.ts";

/**
 * Runs each job right away in this process (no persistence). For tests and single-shot CLI use: `idle()`
 * resolves once every job sent so far has finished.
 */
export class InlineQueue implements JobQueue {
  readonly kind = "inline";
  private readonly handlers = new Map<string, (data: unknown, id: string) => Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  async send<T>(job: JobDefinition<T>, data: T): Promise<string> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`no worker for ${job.name} jobs`);
    const id = randomUUID();
    const run = handler(job.schema.parse(data), id)
      .catch((error: unknown) => console.error(`[jobs] ${job.name} ${id} failed:`, error))
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return id;
  }

  async work<T>(job: JobDefinition<T>, handler: (data: T, jobId: string) => Promise<void>): Promise<void> {
    this.handlers.set(job.name, (data, id) => handler(job.schema.parse(data), id));
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async stop(): Promise<void> {
    await this.idle();
  }
}
