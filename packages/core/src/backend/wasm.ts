// The wasm backend: activation with a thread count, kernel completion, and shutdown.
//
// threads = 1 → the package's own factory (SIMD build, no workers).
// threads ≥ 2 → our factory for the threaded-SIMD build (wasm-threads.ts), which tfjs 4.22
//               never selects under Node.
import * as tf from '@tensorflow/tfjs-core';
import { completeKernels } from '../kernels/complete.ts';
import { createThreadedWasmBackend, terminateThreadPool, withoutGlueListeners } from './wasm-threads.ts';
import { WASM_PACKAGE } from './probe.ts';

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');
type Factory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

// tfjs-backend-wasm registers itself with priority 2 (above cpu's 1).
const WASM_PRIORITY = 2;

interface WasmState {
  pkg: WasmPackage;
  /** The package's own factory, saved before we first replace it. */
  stockFactory: Factory;
  /** Thread count the registered 'wasm' factory was built for (1 = stock factory). */
  registeredThreads: number;
}
let state: WasmState | undefined;

async function loadPackage(): Promise<WasmState> {
  if (state) return state;
  // The package is CommonJS without an exports map: Node resolves `main` (tf-backend-wasm.node.js),
  // which shares our tfjs-core instance. Importing it registers the 'wasm' factory and kernels.
  const pkg = (await import(WASM_PACKAGE)) as WasmPackage;
  const stockFactory = tf.findBackendFactory('wasm');
  if (!stockFactory) throw new Error(`${WASM_PACKAGE} loaded but registered no 'wasm' backend`);
  completeKernels('wasm');
  state = { pkg, stockFactory, registeredThreads: 1 };
  return state;
}

function registerFactory(s: WasmState, threads: number): void {
  if (s.registeredThreads === threads && tf.findBackendFactory('wasm')) return;
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm'); // disposes a live instance too
  const factory: Factory = threads >= 2 ? () => createThreadedWasmBackend(s.pkg, threads) : s.stockFactory;
  tf.registerBackend('wasm', factory, WASM_PRIORITY);
  s.registeredThreads = threads;
}

export interface WasmActivation {
  /** Threads XNNPACK actually uses (the wasm module's own report). */
  threads: number;
  /** True when the threaded-SIMD build is running (worker_threads pool). */
  threaded: boolean;
  simd: boolean;
}

/**
 * Makes 'wasm' the current tfjs backend with `threads` XNNPACK threads. Re-creates the backend
 * when the thread count changes. Returns undefined when the backend failed to initialise.
 */
export async function activateWasm(threads: number): Promise<WasmActivation | undefined> {
  const s = await loadPackage();
  registerFactory(s, threads);
  // The stock factory reads this flag: false keeps it on the single-threaded SIMD build (its
  // threaded path cannot work in Node); our threaded factory sets it true.
  if (threads < 2) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const ok = await withoutGlueListeners(() => tf.setBackend('wasm'));
  if (!ok) return undefined;
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { threads: s.pkg.getThreadsCount(), threaded: threads >= 2, simd };
}

/** Disposes the wasm backend (and its worker pool) if one exists; it can be activated again. */
export function shutdownWasm(): void {
  if (!state) return;
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  terminateThreadPool();
  // Put the stock factory back so a plain tf.setBackend('wasm') still works afterwards.
  tf.registerBackend('wasm', state.stockFactory, WASM_PRIORITY);
  state.registeredThreads = 1;
}
