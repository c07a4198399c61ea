import type { z } from "zod";

/** A kind of background job: its queue name and the schema its payload must satisfy. */
export interface JobDefinition<T> {
  name: string;
  schema: z.ZodType<T>;
}

export function defineJob<T>(name: string, schema: z.ZodType<T>): JobDefinition<T> {
  return { name, schema };
}

/**
 * Where long work goes so that it never blocks a request. Payloads are validated on both sides, since a
 * job may be picked up by a newer worker than the one that sent it.
 */
export interface JobQueue {
  readonly kind: "pg-boss" | "inline";
  send<T>(job: JobDefinition<T>, data: T): Promise<string>;
  /** Runs handler for every job of that kind, in this process, until stop(). */
  work<T>(job: JobDefinition<T>, handler: (data: T, jobId: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
