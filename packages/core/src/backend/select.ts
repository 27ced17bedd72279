// Backend selection: tfjs-node-gpu → tfjs-node → wasm → cpu (names.ts), the first that loads wins.
// DLM_BACKEND (or the `backend` option) forces one; DLM_THREADS (or `threads`) sets the thread count (default:
// os.availableParallelism()); DLM_NATIVE (or `native`) the native kernel path of the wasm backend (native.ts).
// With the native path on, the threads go to the addon's pool and wasm itself runs single-threaded: the threaded
// wasm build's worker pool would compete with it for the cores, and every op left on wasm is small (measured:
// LLaDA generation 1.25× slower with both pools on two cores). One info line says what was chosen and why.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError, brief } from '../errors.ts';
import { completeKernels } from '../kernels/complete.ts';
import { BACKEND_ORDER, BACKEND_PACKAGE, backendNamesHelp, isBackendName, type BackendName } from './names.ts';
import {
  NATIVE_GPU_PACKAGE,
  WASM_PACKAGE,
  defaultProbe,
  describeProbe,
  probeCached,
  type Probe,
  type ProbeResult,
} from './probe.ts';
import {
  applyNative,
  nativeWanted,
  parseNativeRequest,
  resetNative,
  type NativeRequest,
  type NativeStatus,
} from './native.ts';
import { activateWasm, shutdownWasm } from './wasm.ts';

completeKernels('cpu');

export { BACKEND_ORDER, BACKEND_PACKAGE, backendNamesHelp, isBackendName, type BackendName } from './names.ts';

const PACKAGE_OF = BACKEND_PACKAGE;

export interface BackendInfo {
  /** Our name of the chosen backend: tfjs-node-gpu, tfjs-node, wasm or cpu. */
  name: BackendName;
  /** The tfjs backend name (tf.getBackend()): tensorflow, wasm or cpu. */
  tfjsBackend: string;
  /** Why it was chosen (forced, or why each earlier candidate was skipped). */
  reason: string;
  tfjsVersion: string;
  /** Threads the backend computes with (wasm: the native pool's count when that path is on, else XNNPACK's; cpu: 1). */
  threads: number;
  /** Every backend that loads on this machine, in selection order. */
  available: BackendName[];
  /** Optional native packages and wasm features: true, or why not (`native`: the @dlm/native kernel path). */
  accelerators: Record<string, boolean | string>;
  /** The native kernel path (@dlm/native) of the wasm backend: on, with its BLAS, or why it is off. */
  native: NativeStatus;
}

export interface InitBackendOptions {
  /** Force a backend (else DLM_BACKEND, else the first that loads). */
  backend?: string;
  /** wasm threads (else DLM_THREADS, else os.availableParallelism()). */
  threads?: number;
  /** Receives the one info line (default: stderr). */
  log?: (line: string) => void;
  /** How packages are loaded (tests inject fakes). */
  probe?: Probe;
  /** Native kernels on the wasm backend: true requires them, false turns them off (else DLM_NATIVE, else on
   * when built). */
  native?: boolean;
  /** Environment to read DLM_BACKEND / DLM_THREADS / DLM_NATIVE from (default process.env). */
  env?: Record<string, string | undefined>;
}

interface Request {
  backend: BackendName | undefined;
  forcedBy: string | undefined;
  /** The option or variable that forced it (for error messages). */
  forcedArg: string;
  threads: number;
  threadsExplicit: boolean;
  native: NativeRequest;
}

function parseBackend(raw: string, source: string): BackendName {
  const name = raw.trim().toLowerCase();
  if (isBackendName(name)) return name;
  throw new ConfigError(
    { op: 'initBackend', arg: source, expected: `one of ${backendNamesHelp(', ')}`, got: brief(raw) },
    'is not a backend name',
  );
}

function parseThreads(raw: unknown, source: string): number {
  const n = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 256) {
    throw new ConfigError({
      op: 'initBackend',
      arg: source,
      expected: 'an integer thread count in [1, 256]',
      got: brief(raw),
    });
  }
  return n;
}

function resolveRequest(opts: InitBackendOptions): Request {
  const env = opts.env ?? process.env;
  let backend: BackendName | undefined;
  let forcedBy: string | undefined;
  let forcedArg = 'backend';
  if (opts.backend !== undefined) {
    backend = parseBackend(opts.backend, 'backend');
    forcedBy = `option backend=${opts.backend}`;
  } else if (env.DLM_BACKEND) {
    backend = parseBackend(env.DLM_BACKEND, 'DLM_BACKEND');
    forcedBy = `DLM_BACKEND=${env.DLM_BACKEND}`;
    forcedArg = 'DLM_BACKEND';
  }
  const base = { backend, forcedBy, forcedArg, native: parseNativeRequest(opts.native, env) };
  if (opts.threads !== undefined)
    return { ...base, threads: parseThreads(opts.threads, 'threads'), threadsExplicit: true };
  if (env.DLM_THREADS) return { ...base, threads: parseThreads(env.DLM_THREADS, 'DLM_THREADS'), threadsExplicit: true };
  return { ...base, threads: os.availableParallelism(), threadsExplicit: false };
}

/** Probe results of every candidate, in order. tfjs-node is not loaded next to tfjs-node-gpu
 * (both register the same 'tensorflow' backend). */
async function probeAll(probe: Probe): Promise<Map<BackendName, ProbeResult>> {
  const out = new Map<BackendName, ProbeResult>();
  for (const name of BACKEND_ORDER) {
    const pkg = PACKAGE_OF[name];
    if (pkg === undefined) out.set(name, { status: 'ok', tfjsBackend: 'cpu' });
    else if (name === 'tfjs-node' && out.get('tfjs-node-gpu')?.status === 'ok')
      out.set(name, {
        status: 'failed',
        error: `not loaded: ${NATIVE_GPU_PACKAGE} already provides the tensorflow backend`,
      });
    else out.set(name, await probeCached(probe, pkg));
  }
  return out;
}

/** Backends that load on this machine, in selection order (probing loads each package once). */
export async function availableBackends(opts: { probe?: Probe } = {}): Promise<BackendName[]> {
  const probes = await probeAll(opts.probe ?? defaultProbe);
  return BACKEND_ORDER.filter((n) => probes.get(n)?.status === 'ok');
}

let current: { info: BackendInfo; request: Request } | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Activates one candidate; returns its thread count, or a reason string when it failed. */
async function activate(
  name: BackendName,
  probe: ProbeResult,
  threads: number,
): Promise<{ threads: number; simd?: boolean } | string> {
  if (probe.status !== 'ok') return describeProbe(PACKAGE_OF[name] ?? name, probe);
  if (name === 'wasm') {
    const w = await activateWasm(threads);
    return w ?? `${WASM_PACKAGE} failed to initialise`;
  }
  if (!(await tf.setBackend(probe.tfjsBackend))) return `${PACKAGE_OF[name] ?? name} failed to initialise`;
  await tf.ready();
  // tfjs-backend-cpu prints an "install tfjs-node" banner on first use; our info line already
  // says which backend was chosen and why.
  if (name === 'cpu') (tf.engine().backend as unknown as { firstUse?: boolean }).firstUse = false;
  return { threads: name === 'cpu' ? 1 : os.availableParallelism() };
}

async function select(opts: InitBackendOptions, req: Request): Promise<Omit<BackendInfo, 'native'>> {
  const probes = await probeAll(opts.probe ?? defaultProbe);
  const available = BACKEND_ORDER.filter((n) => probes.get(n)?.status === 'ok');
  const accelerators: Record<string, boolean | string> = {};
  for (const n of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    const p = probes.get(n)!;
    accelerators[n] = p.status === 'ok' ? true : p.status === 'absent' ? 'not installed' : `failed: ${p.error}`;
  }

  const candidates: readonly BackendName[] = req.backend ? [req.backend] : BACKEND_ORDER;
  const skipped: string[] = [];
  for (const name of candidates) {
    const probe = probes.get(name)!;
    if (req.backend && probe.status !== 'ok') {
      throw new ConfigError(
        {
          op: 'initBackend',
          arg: req.forcedArg,
          expected: `one of the available backends: ${available.join(', ')}`,
          got: name,
        },
        `(${describeProbe(PACKAGE_OF[name] ?? name, probe)})`,
      );
    }
    const wasmThreads = name === 'wasm' && nativeWanted(req.native) ? 1 : req.threads;
    const r = await activate(name, probe, wasmThreads);
    if (typeof r === 'string') {
      if (req.backend)
        throw new ConfigError(
          {
            op: 'initBackend',
            arg: req.forcedArg,
            expected: `a backend that initialises; available: ${available.join(', ')}`,
          },
          r,
        );
      skipped.push(r);
      continue;
    }
    if (name === 'wasm') {
      accelerators['wasm-simd'] = r.simd ?? false;
      accelerators['wasm-threads'] =
        r.threads >= 2
          ? true
          : wasmThreads < req.threads
            ? 'single-threaded (the native kernels run the threads)'
            : 'single-threaded (threads 1)';
    }
    const reason = req.forcedBy
      ? `forced by ${req.forcedBy}`
      : skipped.length
        ? skipped.join(', ')
        : `first in order ${BACKEND_ORDER.join(' → ')}`;
    return {
      name,
      tfjsBackend: tf.getBackend(),
      reason,
      tfjsVersion: tf.version_core,
      threads: name === 'wasm' && wasmThreads !== req.threads ? req.threads : r.threads,
      available,
      accelerators,
    };
  }
  // cpu always loads; reaching here means even cpu failed to initialise.
  throw new ConfigError(
    { op: 'initBackend', arg: 'backend', expected: 'a backend that initialises' },
    skipped.join('; '),
  );
}

/** True when `req` asks for nothing the current backend does not already satisfy. */
function satisfies(cur: { info: BackendInfo; request: Request }, req: Request): boolean {
  if (req.backend !== undefined && req.backend !== cur.info.name) return false;
  if (req.threadsExplicit && cur.info.name === 'wasm' && req.threads !== cur.request.threads) return false;
  if (req.native.want !== cur.request.native.want) return false;
  return tf.getBackend() === cur.info.tfjsBackend;
}

/**
 * Chooses and activates the tfjs backend. Idempotent: a second call that asks for nothing new
 * returns the same info object; asking for another backend or thread count switches.
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const run = async (): Promise<BackendInfo> => {
    const req = resolveRequest(opts);
    if (current && satisfies(current, req)) return current.info;
    const chosen = await select(opts, req);
    const native = applyNative(req.native, chosen.tfjsBackend, chosen.threads);
    const info: BackendInfo = {
      ...chosen,
      accelerators: { ...chosen.accelerators, native: native.active || native.detail },
      native,
    };
    current = { info, request: req };
    const nativeNote = info.name === 'wasm' ? `; native kernels ${native.active ? 'on' : 'off'}: ${native.detail}` : '';
    const line = `backend ${info.name} (threads ${info.threads}${nativeNote}): ${info.reason}`;
    (opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
    return info;
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/** The info of the active selection, if initBackend has run. */
export function currentBackend(): BackendInfo | undefined {
  return current?.info;
}

/** Ends the wasm thread pool (and backend); the next initBackend selects afresh. */
export function shutdownBackend(): Promise<void> {
  const run = async (): Promise<void> => {
    shutdownWasm();
    resetNative();
    current = undefined;
    // Without this, the next stray op would pick the highest-priority factory (wasm) again.
    if (!tf.engine().backendName) await tf.setBackend('cpu');
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}
