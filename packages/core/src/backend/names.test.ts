import { describe, expect, it } from 'vitest';
import { BACKEND_ORDER, BACKEND_PACKAGE, backendNamesHelp, isBackendName } from './names.ts';
import { NATIVE_GPU_PACKAGE, NATIVE_PACKAGE, WASM_PACKAGE } from './probe.ts';

describe('backend names', () => {
  it('one list in selection order, each native name its npm package', () => {
    expect(backendNamesHelp()).toBe('tfjs-node-gpu | tfjs-node | wasm | cpu');
    const packages = BACKEND_ORDER.map((n) => BACKEND_PACKAGE[n]);
    expect(packages).toEqual([NATIVE_GPU_PACKAGE, NATIVE_PACKAGE, WASM_PACKAGE, undefined]);
    expect(isBackendName('wasm')).toBe(true);
    expect(isBackendName('tensorflow-gpu')).toBe(false);
  });
});
