// Multi-threaded tfjs wasm under Node.
//
// tfjs-backend-wasm 4.22 never runs its threaded-SIMD build in Node, for three reasons, each
// lifted here at runtime (node_modules is never edited):
//  1. the WASM_HAS_MULTITHREAD_SUPPORT flag returns false when IS_NODE → we do not go through
//     the package's init() at all: we build the backend ourselves from the emscripten module in
//     wasm-out/ and the exported BackendWasm class (and set the flag true, so env reports it);
//  2. its locateFile gives the pthread worker as a blob: URL (and the main script as a Blob),
//     which worker_threads cannot load → locateFile returns wasm-pthread-worker.cjs and
//     mainScriptUrlOrBlob the path of wasm-out/tfjs-backend-wasm-threaded-simd.js;
//  3. the C++ side caps XNNPACK threads at emscripten_num_logical_cores() / 2 → our
//     instantiateWasm hook makes that import report 2 × the requested thread count.
// The pthread workers would keep the event loop alive for ever, so they are unref'd (their
// ref() made a no-op) and the pool is terminated by shutdownBackend() and on 'beforeExit'.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

interface PThreadWorker {
  ref(): unknown;
  unref(): unknown;
  terminate(): Promise<number>;
}
interface PThreadApi {
  runningWorkers: PThreadWorker[];
  unusedWorkers: PThreadWorker[];
  getNewWorker(): PThreadWorker | undefined;
  terminateAllThreads(): void;
}
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown;
  PThread: PThreadApi;
  tfjs?: Record<string, (...a: unknown[]) => unknown>;
}
type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;
// Our tsconfig has no DOM lib, so the two WebAssembly members used here are typed locally.
interface WasmInstantiated {
  instance: object;
  module: object;
}
const WebAssemblyApi = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<WasmInstantiated> };
  }
).WebAssembly;

const WORKER_FILE = fileURLToPath(new URL('./wasm-pthread-worker.cjs', import.meta.url));

/** The emscripten module of the live threaded backend and that backend (for shutdown). */
let live: EmscriptenModule | undefined;
let liveBackend: tf.KernelBackend | undefined;
let exitHookInstalled = false;

/** Terminates every pthread worker of the live threaded backend; safe to call twice. */
export function terminateThreadPool(): void {
  const mod = live;
  live = undefined;
  liveBackend = undefined;
  mod?.PThread.terminateAllThreads();
}

/** 'beforeExit': the loop is empty. Unregister the backend before ending its threads, so code
 * that still runs afterwards (another beforeExit listener) falls back to cpu instead of
 * blocking for ever on dead workers. */
function onBeforeExit(): void {
  if (liveBackend && tf.engine().registry.wasm === liveBackend) tf.removeBackend('wasm');
  terminateThreadPool();
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const GLUE_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

/**
 * Runs `start` and removes the process-wide handlers the emscripten glue adds while starting
 * (it rethrows from inside an 'uncaughtException' handler, which turns any later uncaught
 * error anywhere into exit code 7 with no report). Node's own defaults stay in force.
 */
export async function withoutGlueListeners<T>(start: () => Promise<T>): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  const listeners = (e: ProcessEvent): Listener[] => process.listeners(e as 'uncaughtException') as Listener[];
  const before = new Map(GLUE_EVENTS.map((e) => [e, new Set(listeners(e))]));
  try {
    return await start();
  } finally {
    for (const e of GLUE_EVENTS) {
      for (const l of listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
  }
}

/** A worker that never holds the event loop open: computation only runs while the main
 * thread is blocked inside a kernel call, so an idle loop means idle workers. */
function neutralize(w: PThreadWorker | undefined): PThreadWorker | undefined {
  if (w) {
    w.unref();
    w.ref = () => w;
  }
  return w;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('beforeExit', onBeforeExit);
}

function loadModule(threads: number): Promise<EmscriptenModule> {
  const req = createRequire(import.meta.url);
  const mainJs = req.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const wasmFile = join(dirname(mainJs), 'tfjs-backend-wasm-threaded-simd.wasm');
  const factory = req(mainJs) as EmscriptenFactory;
  // The glue creates its workers with `new (require('worker_threads').Worker)(file)`, which
  // inherits the parent's execArgv (--import tsx, --input-type, vitest's flags…): some of those
  // break a plain .cjs worker and all of them slow it down. Hand it a Worker with no execArgv
  // while the factory runs (it also stores it as global.Worker for workers created later).
  const workerThreads = req('node:worker_threads') as typeof import('node:worker_threads');
  const NodeWorker = workerThreads.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(file: string | URL, options: import('node:worker_threads').WorkerOptions = {}) {
      super(file, { ...options, execArgv: [] });
    }
  }
  return new Promise<EmscriptenModule>((resolve, reject) => {
    const fail = (what: unknown) =>
      reject(new Error(`threaded wasm backend: ${what instanceof Error ? what.message : String(what)}`));
    workerThreads.Worker = PthreadWorker;
    let ready: Promise<EmscriptenModule>;
    try {
      ready = factory({
        locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? WORKER_FILE : prefix + path),
        mainScriptUrlOrBlob: mainJs,
        onAbort: fail,
        instantiateWasm: (
          imports: Record<string, Record<string, unknown>>,
          receive: (instance: object, module: object) => void,
        ) => {
          for (const ns of Object.values(imports)) {
            if (typeof ns.emscripten_num_logical_cores === 'function')
              ns.emscripten_num_logical_cores = () => 2 * threads;
          }
          WebAssemblyApi.instantiate(readFileSync(wasmFile), imports).then(
            ({ instance, module }) => receive(instance, module),
            fail,
          );
          return {};
        },
      });
    } finally {
      workerThreads.Worker = NodeWorker;
    }
    ready.then(resolve, fail);
  });
}

/** Factory for tf.registerBackend('wasm', …): the threaded-SIMD backend with `threads` threads. */
export async function createThreadedWasmBackend(pkg: WasmPackage, threads: number): Promise<tf.KernelBackend> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  const mod = await withoutGlueListeners(() => loadModule(threads));
  // The same js ↔ wasm bridge the package's init() attaches (tf-backend-wasm.node.js: init).
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  const pt = mod.PThread;
  for (const w of pt.unusedWorkers) neutralize(w);
  const getNewWorker = pt.getNewWorker.bind(pt);
  pt.getNewWorker = () => neutralize(getNewWorker());
  terminateThreadPool(); // an older pool (from a previous thread count) must not linger
  pkg.setThreadsCount(threads);
  // The constructor creates the XNNPACK pthreadpool (init_with_threads_count).
  const backend = new pkg.BackendWasm(mod as never);
  for (const w of pt.runningWorkers) neutralize(w);
  // The glue pre-spawns 8 workers whatever the thread count; XNNPACK holds threads − 1 of them.
  // Free the idle rest (a later pthread would get a fresh worker from getNewWorker).
  for (const w of pt.unusedWorkers.splice(0)) void w.terminate();
  live = mod;
  liveBackend = backend;
  installExitHook();
  return backend;
}
