'use strict';
// Entry script of one emscripten pthread worker of the threaded-SIMD tfjs wasm build, loaded
// by worker_threads from a file path (tfjs itself hands Node a blob: URL, which worker_threads
// cannot load). It runs the worker code that ships with @tensorflow/tfjs-backend-wasm
// (wasm-out/…-threaded-simd.worker.js exports it as a string) with this file's `require` and
// `__filename`, exactly as if that code were the worker file. The main script the worker then
// imports is passed as a plain path in `mainScriptUrlOrBlob` (see wasm-threads.ts).
const {
  wasmWorkerContents,
} = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

// The string comes from a template literal, so its "\n" escapes arrived as real newlines inside
// string literals; escape them back (tfjs does the same before making its blob).
new Function('require', '__filename', wasmWorkerContents.replace(/\n/g, '\\n'))(require, __filename);
