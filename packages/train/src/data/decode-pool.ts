import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
// sharp must be loaded by the main thread before any worker loads it (libvips is not safe to dlopen first
// from a worker on Linux); importing decode.ts does that.
import { type BatchJob, type BatchResult, processBatch } from "./decode.ts";

/**
 * Decode workers. With 2 cores the training kernels already use both, so by default one worker (cores − 1,
 * at most 4): decoding a batch of 32×32 JPEGs takes a few ms, far below a training step, and the worker lets
 * it overlap with the step instead of stealing the main thread. `workers: 0` decodes in-process (sharp still
 * runs off the JS thread, in libuv's pool), which is what tests use.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export interface DecodePool {
  run(job: BatchJob): Promise<BatchResult>;
  close(): Promise<void>;
}

export function createDecodePool(workers: number): DecodePool {
  return workers <= 0 ? inProcessPool() : new WorkerPool(workers);
}

function inProcessPool(): DecodePool {
  return { run: processBatch, close: async () => {} };
}

/**
 * Workers run decode-worker.ts. The packages are TypeScript consumed as source, so each worker first
 * registers tsx's ESM loader (hooks registered in the main thread do not reach workers), from a data: URL
 * module so no .js shim file is needed.
 */
function workerBootstrapUrl(): URL {
  const require = createRequire(import.meta.url);
  // `require.resolve` picks the CJS build of tsx/esm/api; its ESM twin sits beside it and is what register() needs.
  const tsxApi = pathToFileURL(require.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = pathToFileURL(fileURLToPath(new URL("./decode-worker.ts", import.meta.url))).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

interface Pending {
  resolve: (r: BatchResult) => void;
  reject: (e: Error) => void;
}

class WorkerPool implements DecodePool {
  private readonly workers: { worker: Worker; busy: number; ready: Promise<void> }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(count: number) {
    const url = workerBootstrapUrl();
    for (let i = 0; i < count; i++) {
      const worker = new Worker(url);
      let markReady: () => void = () => {};
      let markFailed: (err: Error) => void = () => {};
      const ready = new Promise<void>((resolve, reject) => {
        markReady = resolve;
        markFailed = reject;
      });
      ready.catch(() => {}); // observed in run()
      const slot = { worker, busy: 0, ready };
      worker.on("message", (msg: { ready?: true; id?: number; result?: BatchResult; error?: string }) => {
        if (msg.ready) return markReady();
        if (msg.id === undefined) return;
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        slot.busy--;
        if (slot.busy === 0) worker.unref();
        if (!p) return;
        if (msg.error !== undefined) p.reject(new Error(msg.error));
        else if (msg.result) p.resolve(msg.result);
      });
      worker.on("error", (err) => {
        markFailed(err); // a worker that dies while starting must fail run(), not hang it
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      // An idle pool must not keep the process alive; a busy one must (see run()), or a loop that only waits
      // for a batch would let Node exit mid-epoch.
      worker.unref();
      this.workers.push(slot);
    }
  }

  async run(job: BatchJob): Promise<BatchResult> {
    // Least-busy worker; ties go to the first.
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    slot.worker.ref();
    await slot.ready;
    const id = this.nextId++;
    return new Promise<BatchResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
