// Entry script of one Emscripten pthread of tfjs's threaded-SIMD wasm build, run in a Node worker_thread.
//
// tfjs ships this bootstrap only as a string (`wasmWorkerContents`) and hands it to the browser as a Blob URL,
// which Node's `new Worker()` cannot open; so `wasm-threads.ts` points Emscripten's `locateFile` at this file,
// which evaluates the same string. The string needs two adaptations:
// - `require` and `__filename` are passed in explicitly: the bootstrap reads them (it detects Node and wires
//   `worker_threads`' parentPort), but code built by `new Function` only sees globals;
// - tfjs's build embeds the code in a template literal, so `"\n"` escapes inside its string literals arrive as
//   raw newlines and must be re-escaped before evaluation (tfjs does the same before making its Blob).
const {
  wasmWorkerContents,
} = require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js");

new Function("require", "__filename", wasmWorkerContents.replace(/\n/g, "\\n"))(require, __filename);
