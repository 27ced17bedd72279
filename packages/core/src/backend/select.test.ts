import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { ConfigError } from '../errors.ts';
import { loadNative, type NativeAddon, type NativeLoad } from '@dlm/native';
import { availableBackends, initBackend, shutdownBackend } from './select.ts';
import { activeNative, setNativeLoader } from './native.ts';
import {
  NATIVE_GPU_PACKAGE,
  NATIVE_PACKAGE,
  defaultProbe,
  isMissingPackage,
  type Probe,
  type ProbeResult,
} from './probe.ts';

// Fake probes: the selection tests must not depend on which native packages this machine has, so
// native packages are "absent" unless a test simulates them present or failing; wasm and cpu are
// always the real packages. The real probe is tested against what is actually installed.
function fakeProbe(native: Partial<Record<string, ProbeResult | (() => ProbeResult)>>): Probe & { calls: string[] } {
  const calls: string[] = [];
  const probe = async (pkg: string): Promise<ProbeResult> => {
    calls.push(pkg);
    const r = native[pkg];
    if (r === undefined) return pkg.includes('tfjs-node') ? { status: 'absent' } : defaultProbe(pkg);
    return typeof r === 'function' ? r() : r;
  };
  return Object.assign(probe, { calls });
}

/** A stand-in for what importing @tensorflow/tfjs-node does: register a tfjs backend. */
function registerFakeNative(name: string): ProbeResult {
  if (!tf.findBackendFactory(name)) tf.registerBackend(name, () => new MathBackendCPU(), 0);
  return { status: 'ok', tfjsBackend: name };
}

const quiet = { log: () => {}, env: {} };

afterEach(async () => {
  await shutdownBackend();
  await tf.setBackend('cpu');
  for (const name of ['fake-native-gpu', 'fake-native']) if (tf.findBackendFactory(name)) tf.removeBackend(name);
});

describe('initBackend selection order', () => {
  it('native packages absent → wasm, and the info line says why', async () => {
    const lines: string[] = [];
    const info = await initBackend({
      probe: fakeProbe({}),
      log: (l) => lines.push(l),
      env: {},
      threads: 1,
      native: false,
    });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.available).toEqual(['wasm', 'cpu']);
    expect(info.reason).toBe(`${NATIVE_GPU_PACKAGE} not installed, ${NATIVE_PACKAGE} not installed`);
    expect(lines).toEqual([`backend wasm (threads 1; native kernels off: option native=0): ${info.reason}`]);
    expect(info.accelerators['tfjs-node-gpu']).toBe('not installed');
    expect(info.accelerators['wasm-simd']).toBe(true);
    expect(info.tfjsVersion).toBe(tf.version_core);
  });

  it('is idempotent: a second call returns the same info and logs nothing', async () => {
    const lines: string[] = [];
    const probe = fakeProbe({});
    const a = await initBackend({ probe, log: (l) => lines.push(l), env: {}, threads: 1 });
    const b = await initBackend({ probe, log: (l) => lines.push(l), env: {} });
    expect(b).toBe(a);
    expect(lines).toHaveLength(1);
  });

  it('tfjs-node-gpu present → chosen first', async () => {
    const probe = fakeProbe({ [NATIVE_GPU_PACKAGE]: () => registerFakeNative('fake-native-gpu') });
    const info = await initBackend({ ...quiet, probe });
    expect(info.name).toBe('tfjs-node-gpu');
    expect(info.tfjsBackend).toBe('fake-native-gpu');
    expect(tf.getBackend()).toBe('fake-native-gpu');
    expect(info.reason).toMatch(/^first in order tfjs-node-gpu → tfjs-node → wasm → cpu/);
    expect(info.accelerators['tfjs-node-gpu']).toBe(true);
    // tfjs-node is never loaded next to tfjs-node-gpu (both register 'tensorflow').
    expect(probe.calls).not.toContain(NATIVE_PACKAGE);
    expect(info.available).toEqual(['tfjs-node-gpu', 'wasm', 'cpu']);
  });

  it('tfjs-node present, gpu absent → tfjs-node', async () => {
    const probe = fakeProbe({ [NATIVE_PACKAGE]: () => registerFakeNative('fake-native') });
    const info = await initBackend({ ...quiet, probe });
    expect(info.name).toBe('tfjs-node');
    expect(tf.getBackend()).toBe('fake-native');
    expect(info.reason).toBe(`${NATIVE_GPU_PACKAGE} not installed`);
  });

  it('present but failing to load → skipped with the error in the reason', async () => {
    const probe = fakeProbe({
      [NATIVE_GPU_PACKAGE]: { status: 'failed', error: 'libcudart.so.11: cannot open shared object file' },
      [NATIVE_PACKAGE]: { status: 'failed', error: 'libtensorflow.so.2: cannot open shared object file' },
    });
    const info = await initBackend({ ...quiet, probe, threads: 1 });
    expect(info.name).toBe('wasm');
    expect(info.reason).toContain(`${NATIVE_GPU_PACKAGE} failed to load (libcudart.so.11`);
    expect(info.reason).toContain(`${NATIVE_PACKAGE} failed to load (libtensorflow.so.2`);
    expect(info.accelerators['tfjs-node']).toMatch(/^failed: libtensorflow/);
    expect(info.available).toEqual(['wasm', 'cpu']);
  });

  it('a registered native backend whose initialisation fails falls through to the next', async () => {
    tf.registerBackend(
      'fake-native',
      () => {
        throw new Error('no device');
      },
      0,
    );
    const probe = fakeProbe({ [NATIVE_PACKAGE]: { status: 'ok', tfjsBackend: 'fake-native' } });
    const warn = console.warn;
    console.warn = () => {}; // tfjs warns about the failed initialisation
    try {
      const info = await initBackend({ ...quiet, probe, threads: 1 });
      expect(info.name).toBe('wasm');
      expect(info.reason).toContain(`${NATIVE_PACKAGE} failed to initialise`);
    } finally {
      console.warn = warn;
    }
  });

  it('wasm absent too → cpu', async () => {
    const probe = fakeProbe({ '@tensorflow/tfjs-backend-wasm': { status: 'absent' } });
    const info = await initBackend({ ...quiet, probe });
    expect(info.name).toBe('cpu');
    expect(info.threads).toBe(1);
    expect(info.reason).toContain('@tensorflow/tfjs-backend-wasm not installed');
  });
});

describe('forcing a backend', () => {
  it('option and DLM_BACKEND force; the option wins', async () => {
    const info = await initBackend({
      probe: fakeProbe({}),
      log: () => {},
      env: { DLM_BACKEND: 'wasm' },
      backend: 'cpu',
    });
    expect(info.name).toBe('cpu');
    expect(info.reason).toBe('forced by option backend=cpu');
    await shutdownBackend();
    const viaEnv = await initBackend({ probe: fakeProbe({}), log: () => {}, env: { DLM_BACKEND: 'cpu' } });
    expect(viaEnv.name).toBe('cpu');
    expect(viaEnv.reason).toBe('forced by DLM_BACKEND=cpu');
  });

  it('forcing an unavailable backend throws ConfigError naming what is available', async () => {
    const err = await initBackend({ ...quiet, probe: fakeProbe({}), backend: 'tfjs-node' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('available backends: wasm, cpu');
    expect((err as Error).message).toContain(`${NATIVE_PACKAGE} not installed`);
    const env = { DLM_BACKEND: 'tfjs-node-gpu' };
    const viaEnv = await initBackend({ log: () => {}, probe: fakeProbe({}), env }).catch((e: unknown) => e);
    expect((viaEnv as Error).message).toMatch(/^initBackend: DLM_BACKEND/);
    expect((viaEnv as Error).message).toContain(`${NATIVE_GPU_PACKAGE} not installed`);
  });

  it('unknown backend names and bad thread counts are ConfigErrors', async () => {
    await expect(initBackend({ ...quiet, backend: 'webgl' })).rejects.toThrow(
      /one of tfjs-node-gpu, tfjs-node, wasm, cpu/,
    );
    // One naming only: tfjs's own backend names are not ours.
    await expect(initBackend({ ...quiet, backend: 'tensorflow' })).rejects.toThrow(/is not a backend name/);
    await expect(initBackend({ ...quiet, threads: 0 })).rejects.toThrow(ConfigError);
    await expect(initBackend({ log: () => {}, env: { DLM_THREADS: 'two' } })).rejects.toThrow(/DLM_THREADS/);
  });

  it('asking for another backend after init switches to it', async () => {
    const probe = fakeProbe({});
    const a = await initBackend({ ...quiet, probe, threads: 1 });
    expect(a.name).toBe('wasm');
    const b = await initBackend({ ...quiet, probe, backend: 'cpu' });
    expect(b.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('probing', () => {
  it('availableBackends lists what loads, in order', async () => {
    expect(await availableBackends({ probe: fakeProbe({}) })).toEqual(['wasm', 'cpu']);
  });

  it('the real probe agrees with what is installed on this machine', async () => {
    const require = createRequire(import.meta.url);
    const installed = (pkg: string): boolean => {
      try {
        require.resolve(pkg);
        return true;
      } catch {
        return false;
      }
    };
    // tfjs-node is probed on its own here: only the selection skips it next to a loaded tfjs-node-gpu.
    for (const pkg of [NATIVE_PACKAGE, NATIVE_GPU_PACKAGE]) {
      const r = await defaultProbe(pkg);
      if (!installed(pkg)) expect(r, pkg).toEqual({ status: 'absent' });
      else if (r.status === 'ok') expect(r.tfjsBackend, pkg).toBe('tensorflow');
      else expect(r.status, `${pkg} is installed, so it loads or fails, never absent`).toBe('failed');
    }
    expect(installed('@tensorflow/tfjs-backend-wasm')).toBe(true);
    expect(await defaultProbe('@tensorflow/tfjs-backend-wasm')).toEqual({ status: 'ok', tfjsBackend: 'wasm' });
  });

  it('a missing dependency of an installed package is a failure, not absence', () => {
    const own = Object.assign(new Error(`Cannot find package '${NATIVE_PACKAGE}' imported from /x.js`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const dep = Object.assign(new Error(`Cannot find module '/y/tfjs_binding.node'`), { code: 'MODULE_NOT_FOUND' });
    expect(isMissingPackage(own, NATIVE_PACKAGE)).toBe(true);
    expect(isMissingPackage(dep, NATIVE_PACKAGE)).toBe(false);
  });
});

describe('the native kernel path (DLM_NATIVE / native option)', () => {
  // A stand-in addon: the selection logic must not depend on whether this machine built @dlm/native.
  function fakeAddon(): NativeAddon & { threads: number } {
    const unused = () => {
      throw new Error('not called here');
    };
    return {
      threads: 0,
      gemm: unused,
      geluTanh: unused,
      geluTanhGrad: unused,
      layerNorm: unused,
      layerNormGrad: unused,
      softmaxCrossEntropy: unused,
      softmaxCrossEntropyGrad: unused,
      sumMiddle: unused,
      gather: unused,
      adamw: unused,
      transpose: unused,
      slice: unused,
      pad: unused,
      rmsNorm: unused,
      rmsNormGrad: unused,
      rotary: unused,
      softmax: unused,
      segmentSum: unused,
      binary: unused,
      setThreads(n: number) {
        this.threads = n;
      },
      getThreads() {
        return this.threads;
      },
      blasInfo: () => 'OpenBLAS 9.9.9 FAKE',
    };
  }
  let restore: (() => NativeLoad) | undefined;
  afterEach(() => {
    if (restore) setNativeLoader(restore);
    restore = undefined;
  });
  const withLoader = (r: NativeLoad) => (restore = setNativeLoader(() => r));
  const missing: NativeLoad = { ok: false, reason: 'not built: no OpenBLAS (install libopenblas-dev): cblas.h' };

  it('built → on by default, with the BLAS and its threads in the info line and `accelerators`', async () => {
    const addon = fakeAddon();
    withLoader({ ok: true, addon, blas: addon.blasInfo() });
    const lines: string[] = [];
    const info = await initBackend({ probe: fakeProbe({}), log: (l) => lines.push(l), env: { DLM_THREADS: '2' } });
    expect(info.native).toEqual({ active: true, detail: 'OpenBLAS 9.9.9, threads 2' });
    expect(addon.threads).toBe(2);
    expect(activeNative()).toBe(addon);
    expect(info.accelerators['native']).toBe(true);
    expect(lines).toEqual([`backend wasm (threads 2; native kernels on: OpenBLAS 9.9.9, threads 2): ${info.reason}`]);
    // The threads are the addon's: wasm itself runs its single-threaded build (no second pool on the cores).
    expect(info.accelerators['wasm-threads']).toBe('single-threaded (the native kernels run the threads)');
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('DLM_NATIVE=0 turns it off; switching it back on re-selects', async () => {
    const addon = fakeAddon();
    withLoader({ ok: true, addon, blas: addon.blasInfo() });
    const off = await initBackend({ probe: fakeProbe({}), log: () => {}, env: { DLM_NATIVE: '0' }, threads: 1 });
    expect(off.native).toEqual({ active: false, detail: 'DLM_NATIVE=0' });
    expect(off.accelerators['native']).toBe('DLM_NATIVE=0');
    expect(activeNative()).toBeUndefined();
    const on = await initBackend({ probe: fakeProbe({}), log: () => {}, env: { DLM_NATIVE: '1' }, threads: 1 });
    expect(on.native.active).toBe(true);
    expect(activeNative()).toBe(addon);
  });

  it('not built → off by default, saying why', async () => {
    withLoader(missing);
    const lines: string[] = [];
    const info = await initBackend({ probe: fakeProbe({}), log: (l) => lines.push(l), env: {}, threads: 1 });
    expect(info.native).toEqual({ active: false, detail: missing.ok ? '' : missing.reason });
    expect(info.accelerators['native']).toBe(info.native.detail);
    expect(lines[0]).toContain('native kernels off: not built: no OpenBLAS (install libopenblas-dev)');
    expect(activeNative()).toBeUndefined();
  });

  it('required (DLM_NATIVE=1 or native: true) but not built → ConfigError naming why', async () => {
    withLoader(missing);
    const p = initBackend({ probe: fakeProbe({}), log: () => {}, env: { DLM_NATIVE: '1' }, threads: 1 });
    await expect(p).rejects.toBeInstanceOf(ConfigError);
    await expect(p).rejects.toMatchObject({ arg: 'DLM_NATIVE' });
    await expect(p).rejects.toThrow(/not built: no OpenBLAS/);
    const q = initBackend({ probe: fakeProbe({}), log: () => {}, env: {}, threads: 1, native: true });
    await expect(q).rejects.toThrow(/option native/);
  });

  it('a DLM_NATIVE other than 0 or 1 is a ConfigError', async () => {
    await expect(initBackend({ log: () => {}, env: { DLM_NATIVE: 'yes' } })).rejects.toThrow(/DLM_NATIVE.*0 or 1/s);
  });

  it('another backend than wasm: off (wasm only), also when required', async () => {
    const addon = fakeAddon();
    withLoader({ ok: true, addon, blas: addon.blasInfo() });
    const info = await initBackend({ backend: 'cpu', log: () => {}, env: { DLM_NATIVE: '1' } });
    expect(info.native).toEqual({ active: false, detail: 'backend cpu (the native kernels are for wasm)' });
    expect(activeNative()).toBeUndefined();
  });

  it('this checkout built the addon (npm ci runs packages/native/scripts/build.mjs) and it loads', () => {
    const real = loadNative();
    expect(real.ok ? real.blas : real.reason).toMatch(/^(OpenBLAS|Accelerate)/);
  });
});
