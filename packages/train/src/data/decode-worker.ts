import { parentPort } from "node:worker_threads";
import { type BatchJob, processBatch } from "./decode.ts";

/** Worker entry: one message = one batch job; answers { id, result } or { id, error }. */
const port = parentPort;
if (!port) throw new Error("decode-worker.ts must run in a worker thread");

port.on("message", async (msg: { id: number; job: BatchJob }) => {
  try {
    const result = await processBatch(msg.job);
    const transfer: ArrayBuffer[] = [result.x.buffer as ArrayBuffer];
    for (const d of result.decoded) if (d) transfer.push(d.data.buffer as ArrayBuffer);
    port.postMessage({ id: msg.id, result }, transfer);
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
port.postMessage({ ready: true });
