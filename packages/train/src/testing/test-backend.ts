import { initBackend } from "../backends/index.ts";

/** Tests train on wasm (with the gradient kernels); cpu only if wasm cannot start here. */
export async function useTestBackend(): Promise<string> {
  try {
    return (await initBackend("wasm")).name;
  } catch {
    return (await initBackend("cpu")).name;
  }
}
