// The native CPU kernel path of the wasm backend (@dlm/native: BLAS sgemm and float32 loops on the wasm heap).
// DLM_NATIVE (or the `native` option) = 0 turns it off, 1 requires it (a ConfigError naming why when the addon is
// not there); unset: on whenever the addon was built and loads. It applies to the wasm backend only. The kernels
// (../kernels/native-*.ts) ask `activeNative()` on every call and run the wasm kernel when it is off, so the path
// can be switched per initBackend without re-registering kernels.
import { loadNative, type NativeAddon, type NativeLoad } from '@dlm/native';
import { ConfigError, brief } from '../errors.ts';

export interface NativeRequest {
  /** true: required; false: off; undefined: on when available. */
  want: boolean | undefined;
  /** The option or variable that set `want` (for messages). */
  source: string;
}

export interface NativeStatus {
  active: boolean;
  /** When active: the BLAS it runs on; else why not. */
  detail: string;
}

let active: NativeAddon | undefined;
let loader: () => NativeLoad = loadNative;

/** The addon when the native path is on, else undefined. */
export function activeNative(): NativeAddon | undefined {
  return active;
}

/** Tests substitute a loader that reports the addon missing. Returns the previous one. */
export function setNativeLoader(f: () => NativeLoad): () => NativeLoad {
  const prev = loader;
  loader = f;
  return prev;
}

export function parseNativeRequest(
  option: boolean | undefined,
  env: Record<string, string | undefined>,
): NativeRequest {
  if (option !== undefined) return { want: option, source: 'option native' };
  const raw = env.DLM_NATIVE;
  if (raw === undefined || raw.trim() === '') return { want: undefined, source: 'default' };
  const v = raw.trim();
  if (v === '0' || v === '1') return { want: v === '1', source: 'DLM_NATIVE' };
  throw new ConfigError({ op: 'initBackend', arg: 'DLM_NATIVE', expected: '0 or 1', got: brief(raw) });
}

/** Whether applyNative will turn the path on (or fail trying): not forced off, and the addon loads. */
export function nativeWanted(req: NativeRequest): boolean {
  return req.want !== false && loader().ok;
}

/**
 * Turns the native path on or off for a freshly selected backend. `tfjsBackend` other than wasm: off (the kernels
 * exist for the wasm heap only). Throws a ConfigError when it is required and the addon is unavailable.
 */
export function applyNative(req: NativeRequest, tfjsBackend: string, threads: number): NativeStatus {
  active = undefined;
  if (req.want === false) return { active: false, detail: `${req.source}=0` };
  const load = loader();
  if (!load.ok) {
    if (req.want === true)
      throw new ConfigError(
        { op: 'initBackend', arg: req.source, expected: 'the @dlm/native addon built and loadable', got: '1' },
        `@dlm/native ${load.reason}`,
      );
    return { active: false, detail: load.reason };
  }
  if (tfjsBackend !== 'wasm')
    return { active: false, detail: `backend ${tfjsBackend} (the native kernels are for wasm)` };
  load.addon.setThreads(threads);
  active = load.addon;
  const blasThreads = load.addon.getThreads();
  return { active: true, detail: `${load.blas.split(' ').slice(0, 2).join(' ')}, threads ${blasThreads || 'auto'}` };
}

/** Off until the next applyNative (backend shut down). */
export function resetNative(): void {
  active = undefined;
}
