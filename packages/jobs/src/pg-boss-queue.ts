import PgBoss from "pg-boss";
import type { JobDefinition, JobQueue } from "./job-queue.ts";

export interface PgBossQueueOptions {
  connectionString: string;
  /** Jobs running longer are considered lost (a killed worker) and retried; our jobs resume. */
  expireInHours?: number;
}

/** Jobs in PostgreSQL itself (pg-boss, schema `pgboss`): no broker to run, transactional with our data. */
export class PgBossQueue implements JobQueue {
  readonly kind = "pg-boss";
  private readonly boss: PgBoss;
  private started: Promise<unknown> | undefined;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly options: PgBossQueueOptions) {
    this.boss = new PgBoss({ connectionString: options.connectionString, schema: "pgboss", max: 4 });
    this.boss.on("error", (error) => console.error(`[jobs] ${error.message}`));
  }

  private async ready(name: string): Promise<void> {
    this.started ??= this.boss.start();
    await this.started;
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.createQueue(name);
      this.queues.set(name, queue);
    }
    await queue;
  }

  /**
   * pg-boss's createQueue deadlocks when two processes (say the web app and a worker) create the same queue
   * at once; the loser of the deadlock simply retries, and finds the queue there.
   */
  private async createQueue(name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await this.boss.getQueue(name)) return;
      try {
        await this.boss.createQueue(name, {
          name,
          retryLimit: 2,
          retryDelay: 5,
          expireInSeconds: (this.options.expireInHours ?? 12) * 3600,
        });
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  async send<T>(job: JobDefinition<T>, data: T): Promise<string> {
    await this.ready(job.name);
    const id = await this.boss.send(job.name, job.schema.parse(data) as object);
    if (!id) throw new Error(`the ${job.name} job was not queued`);
    return id;
  }

  async work<T>(job: JobDefinition<T>, handler: (data: T, jobId: string) => Promise<void>): Promise<void> {
    await this.ready(job.name);
    await this.boss.work(job.name, { batchSize: 1, pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const item of jobs) await handler(job.schema.parse(item.data), item.id);
    });
  }

  async stop(): Promise<void> {
    if (this.started) await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
