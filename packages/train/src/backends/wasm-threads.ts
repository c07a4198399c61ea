/**
 * Multithreaded (threaded-SIMD) tfjs `wasm` backend under Node.
 *
 * tfjs-backend-wasm 4.22 never uses threads in Node: its `WASM_HAS_MULTITHREAD_SUPPORT` flag returns false
 * whenever `IS_NODE` (tfjs issue #3830), and even when forced, its loader hands Emscripten Blob URLs for the
 * pthread worker script and the main script, which Node's `worker_threads` cannot open. The Emscripten build
 * itself does support Node. So this module replaces the registered `wasm` backend factory with one that calls
 * the same threaded-SIMD Emscripten factory with Node-friendly settings:
 * - `locateFile` gives real file paths: the `.wasm` next to the factory, and `wasm-pthread-worker.cjs` as the
 *   pthread worker (it evaluates tfjs's own worker bootstrap); the main script the workers import defaults to
 *   the factory's `__filename`, which is a file, so nothing else is needed;
 * - `instantiateWasm` instantiates the binary itself only to override one import,
 *   `emscripten_num_logical_cores`: tfjs's C++ caps the thread pool at that number / 2 (it assumes
 *   hyper-threading), so on a 2-core machine it would never use more than 1 thread whatever
 *   `setThreadsCount` says. Reporting 2 × the requested count makes the cap a no-op.
 * Emscripten `ref()`s the worker of every running pthread; XNNPACK's pool threads never exit, so they are
 * `unref()`ed after start-up, or the process would never end.
 *
 * The backend object is tfjs's own `BackendWasm`, and kernels stay registered under the name `wasm`, so every
 * tfjs wasm kernel (and ours) works unchanged.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { BackendWasm, getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";

const require = createRequire(import.meta.url);
const FACTORY = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
const BINARY = path.join(path.dirname(FACTORY), "tfjs-backend-wasm-threaded-simd.wasm");
const WORKER = fileURLToPath(new URL("./wasm-pthread-worker.cjs", import.meta.url));
/** tfjs's build pre-spawns 8 pthread workers and its C++ never uses more; more would deadlock start-up. */
export const MAX_WASM_THREADS = 8;
const WASM_PRIORITY = 2;
const START_TIMEOUT_MS = 60_000;

type WasmModule = ConstructorParameters<typeof BackendWasm>[0];
interface NodeWorker {
  unref(): void;
}
interface EmscriptenThreadedModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: NodeWorker[]; unusedWorkers: NodeWorker[] };
}
/** The slice of the WebAssembly JS API used here (the project's `lib` has no DOM typings, which declare it). */
interface WasmInstantiation {
  instance: object;
  module: object;
}
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<WasmInstantiation> };
};
interface FactoryConfig {
  locateFile(file: string): string;
  instantiateWasm(
    imports: { env: Record<string, unknown> },
    receive: (instance: object, module: object) => void,
  ): object;
}
type Factory = (config: FactoryConfig) => Promise<EmscriptenThreadedModule>;

/**
 * Makes `tf.setBackend("wasm")` start the threaded-SIMD build with `threads` threads (1..8). Call before the
 * `wasm` backend is first initialised. If the threaded build cannot start, tfjs's own factory (single-threaded
 * SIMD in Node) is used instead, with a warning.
 */
export function useThreadedWasm(threads: number): void {
  const count = Math.max(1, Math.min(MAX_WASM_THREADS, Math.floor(threads)));
  // Typed as always defined, but undefined when nothing is registered under that name.
  const original = tf.findBackendFactory("wasm") as ReturnType<typeof tf.findBackendFactory> | undefined;
  if (original === threadedFactory) return;
  setThreadsCount(count);
  if (original) tf.removeBackend("wasm");
  threadedFactory = async () => {
    try {
      return await startThreadedWasm(count);
    } catch (error) {
      if (!original) throw error;
      console.warn(`threaded wasm failed (${(error as Error).message}); using single-threaded SIMD wasm`);
      return original();
    }
  };
  tf.registerBackend("wasm", threadedFactory, WASM_PRIORITY);
}

let threadedFactory: (() => Promise<tf.KernelBackend>) | undefined;

/** Threads the active wasm backend really uses (the C++ pool's size); valid once it is initialised. */
export function wasmThreadsInUse(): number {
  return getThreadsCount();
}

async function startThreadedWasm(threads: number): Promise<BackendWasm> {
  const factory = require(FACTORY) as Factory;
  const bytes = await readFile(BINARY);
  const listenersBefore = {
    uncaughtException: process.listeners("uncaughtException"),
    unhandledRejection: process.listeners("unhandledRejection"),
  };
  const module = await withTimeout(
    factory({
      locateFile: (file) => (file.endsWith(".worker.js") ? WORKER : path.join(path.dirname(FACTORY), file)),
      instantiateWasm(imports, receive) {
        imports.env.emscripten_num_logical_cores = () => 2 * threads;
        WebAssembly.instantiate(bytes, imports).then(
          ({ instance, module }) => receive(instance, module),
          (error: unknown) => console.error("wasm instantiation failed:", error),
        );
        return {};
      },
    }),
    START_TIMEOUT_MS,
  );
  // Emscripten adds process handlers that rethrow every uncaught error from inside its one-line minified
  // file, so Node prints the whole 50 kB file with any crash; Node's default handling is the same without it.
  for (const listener of process.listeners("uncaughtException")) {
    if (!listenersBefore.uncaughtException.includes(listener)) process.removeListener("uncaughtException", listener);
  }
  for (const listener of process.listeners("unhandledRejection")) {
    if (!listenersBefore.unhandledRejection.includes(listener)) process.removeListener("unhandledRejection", listener);
  }
  // The same bridge tfjs's own loader installs (tfjs-backend-wasm backend_wasm.ts `init`).
  Object.assign(module, {
    tfjs: {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    },
  });
  // The constructor creates the XNNPACK thread pool (pthreads start here).
  const backend = new BackendWasm(module as unknown as WasmModule);
  for (const worker of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) worker.unref();
  return backend;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`threaded wasm did not start within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
