// Test helper for the native kernel path: the real @dlm/native addon behind a wrapper that counts calls per
// function, installed as the loader initBackend uses (so a test can assert a kernel really ran natively). The
// addon's pool gets two threads whatever the backend asks (the tests' backends run one wasm thread, and switching
// that would recreate the backend under their tensors), so kernels large enough to split are split.
import { afterAll, beforeAll } from 'vitest';
import { NATIVE_FUNCTIONS, loadNative, type NativeAddon, type NativeLoad } from '@dlm/native';
import { setNativeLoader } from '../backend/native.ts';
import { initBackend } from '../backend/select.ts';
import { tf } from '../tf.ts';

export interface CountingNative {
  calls: Record<string, number>;
  /** Puts the previous loader back. */
  restore(): void;
}

/** Threads of the addon's pool while the counting addon is installed. */
const POOL_THREADS = 2;

/** Throws when this checkout has no working addon (the tests that need it must fail, not skip). */
export function installCountingNative(): CountingNative {
  const real = loadNative();
  if (!real.ok) throw new Error(`@dlm/native is required by these tests: ${real.reason}`);
  const calls: Record<string, number> = {};
  // The addon's functions are not enumerable (napi_define_properties), so each is wrapped by name.
  const addon = Object.fromEntries(
    NATIVE_FUNCTIONS.map((name) => [
      name,
      (...args: unknown[]) => {
        calls[name] = (calls[name] ?? 0) + 1;
        const call = real.addon[name] as (...a: unknown[]) => unknown;
        return name === 'setThreads' ? call(POOL_THREADS) : call(...args);
      },
    ]),
  ) as unknown as NativeAddon;
  const load: NativeLoad = { ok: true, addon, blas: real.blas };
  const prev = setNativeLoader(() => load);
  return {
    calls,
    restore: () => {
      setNativeLoader(prev);
      real.addon.setThreads(1);
    },
  };
}

const WASM = { backend: 'wasm', threads: 1, log: () => {}, env: {} } as const;

/**
 * f's outputs on the native path (asserting the addon's `fn` ran during it; `fn` undefined: asserting nothing ran)
 * and then on the wasm kernels (native off), on the same input tensors. Leaves the native path on.
 */
export async function nativeAndWasm(
  native: CountingNative,
  fn: string | undefined,
  f: () => tf.Tensor | tf.Tensor[],
  reference: () => tf.Tensor | tf.Tensor[] = f,
): Promise<[Float32Array[], Float32Array[]]> {
  await initBackend({ ...WASM, native: true });
  const total = () => Object.values(native.calls).reduce((a, b) => a + b, 0);
  const before = fn === undefined ? total() : (native.calls[fn] ?? 0);
  const got = tf.tidy(() => [f()].flat().map((t) => Float32Array.from(t.dataSync())));
  const after = fn === undefined ? total() : (native.calls[fn] ?? 0);
  if (fn !== undefined && after <= before) throw new Error(`the native ${fn} did not run`);
  if (fn === undefined && after !== before) throw new Error('a native function ran where none should');
  await initBackend({ ...WASM, native: false });
  const want = tf.tidy(() => [reference()].flat().map((t) => Float32Array.from(t.dataSync())));
  await initBackend({ ...WASM, native: true });
  return [got, want];
}

/** Tolerances of the native kernel tests against the wasm kernels: |got − want| ≤ ATOL + RTOL·|want|. */
export const NATIVE_RTOL = 1e-4;
export const NATIVE_ATOL = 1e-5;

/**
 * Installs the counting addon for the file's tests (beforeAll) and puts the loader back with the native path off
 * afterwards (afterAll). Returns a getter for the counting addon.
 */
export function useCountingNative(): () => CountingNative {
  let native: CountingNative | undefined;
  beforeAll(() => {
    native = installCountingNative();
  });
  afterAll(async () => {
    native?.restore();
    await initBackend({ ...WASM, native: false });
  });
  return () => {
    if (!native) throw new Error('useCountingNative: read the addon inside a test');
    return native;
  };
}
