/**
 * Picks and initialises the fastest tfjs backend this machine can run.
 *
 * Auto order: `webgpu` (only where the optional `webgpu` npm package — Dawn — finds a real adapter), then
 * `tensorflow` (libtensorflow through @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, if the user installed
 * one: they are not dependencies, they cannot build everywhere), then `wasm` (XNNPACK, multithreaded, with our
 * gradient kernels), then `cpu` (plain JS, ~1000× slower for convs: a last resort). Asking for one backend
 * explicitly either gets it or throws, saying why.
 */
import { availableParallelism } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { registerWasmGradients } from "./register-wasm-gradients.ts";
import { useThreadedWasm, wasmThreadsInUse } from "./wasm-threads.ts";

/** A backend the caller may ask for; undefined means "the fastest one available". */
export type BackendChoice = "webgpu" | "tensorflow" | "wasm" | "cpu";

export interface BackendInfo {
  /** tfjs backend name now active (`tf.getBackend()`). */
  name: string;
  /** Human-readable detail: device, threads, why faster ones were skipped. */
  detail: string;
}

export interface BackendOptions {
  /** Threads for `wasm` (default: available cores, at most 8). */
  threads?: number;
}

export const BACKEND_CHOICES: readonly BackendChoice[] = ["webgpu", "tensorflow", "wasm", "cpu"];

/** A started backend's detail, or why it could not start. */
type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

export async function initBackend(requested?: BackendChoice, options: BackendOptions = {}): Promise<BackendInfo> {
  const skipped: string[] = [];
  for (const choice of requested ? [requested] : BACKEND_CHOICES) {
    const attempt = await start(choice, options);
    if (attempt.ok) {
      const note = skipped.length ? ` (skipped ${skipped.join("; ")})` : "";
      return { name: tf.getBackend(), detail: attempt.detail + note };
    }
    if (requested) throw new Error(`backend ${requested} is not available: ${attempt.reason}`);
    skipped.push(`${choice}: ${attempt.reason}`);
  }
  throw new Error(`no tfjs backend could start: ${skipped.join("; ")}`);
}

function start(choice: BackendChoice, options: BackendOptions): Promise<Attempt> {
  switch (choice) {
    case "webgpu":
      return startWebgpu();
    case "tensorflow":
      return startTensorflow();
    case "wasm":
      return startWasm(options.threads ?? availableParallelism());
    case "cpu":
      return activate("cpu", "tfjs cpu backend (plain JavaScript)");
  }
}

async function activate(name: string, detail: string): Promise<Attempt> {
  // setBackend logs and returns false (rather than throwing) when the backend's factory fails.
  const ok = await tf.setBackend(name).catch(() => false);
  if (!ok) return { ok: false, reason: `tfjs could not initialise ${name}` };
  await tf.ready();
  return { ok: true, detail };
}

async function startWasm(threads: number): Promise<Attempt> {
  registerWasmGradients();
  useThreadedWasm(threads);
  const attempt = await activate("wasm", "");
  if (!attempt.ok) return attempt;
  const used = wasmThreadsInUse();
  return { ok: true, detail: `tfjs wasm (XNNPACK, SIMD, ${used} thread${used === 1 ? "" : "s"})` };
}

/** Module names held in variables so that TypeScript and bundlers do not require them to exist. */
const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];

async function startTensorflow(): Promise<Attempt> {
  for (const name of TFJS_NODE_PACKAGES) {
    try {
      await import(name);
    } catch {
      continue;
    }
    // Both register a backend named "tensorflow" (libtensorflow; CUDA for the -gpu build).
    return activate("tensorflow", `libtensorflow via ${name}`);
  }
  return { ok: false, reason: "neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed" };
}

interface WebgpuPackage {
  create(options: string[]): { requestAdapter(): Promise<unknown> };
  globals: Record<string, unknown>;
}

async function startWebgpu(): Promise<Attempt> {
  let webgpu: WebgpuPackage;
  try {
    webgpu = (await import("webgpu")) as unknown as WebgpuPackage;
  } catch {
    return { ok: false, reason: "the webgpu package (Dawn for Node) is not installed" };
  }
  const gpu = webgpu.create([]);
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { ok: false, reason: "no WebGPU adapter (no usable GPU driver)" };
  // tfjs-backend-webgpu registers itself on import only if navigator.gpu exists, and uses the GPU* globals.
  Object.assign(globalThis, webgpu.globals);
  const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as { gpu?: unknown };
  Object.defineProperty(globalThis, "navigator", { value: Object.assign(nav, { gpu }), configurable: true });
  await import("@tensorflow/tfjs-backend-webgpu");
  return activate("webgpu", "tfjs webgpu (Dawn)");
}
