export { InlineQueue } from "./inline-queue.ts";
export { defineJob, type JobDefinition, type JobQueue } from "./job-queue.ts";
export { PgBossQueue, type PgBossQueueOptions } from "./pg-boss-queue.ts";
