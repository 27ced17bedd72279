// The CLI run as a process, as a user runs it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BACKEND_ORDER, BACKEND_PACKAGE, backendNamesHelp } from '@dlm/core/backend/names';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
// The optional native packages are dependencies of @dlm/core: resolve them from there.
const coreRequire = createRequire(fileURLToPath(new URL('../../core/package.json', import.meta.url)));

function installed(pkg: string): boolean {
  try {
    coreRequire.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function dlm(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('dlm CLI', () => {
  it('--help lists the commands', () => {
    const r = dlm(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/dlm info/);
    expect(r.out).toMatch(/dlm bench/);
  });

  it("sample --help lists every family's samplers from the registries", async () => {
    const { families } = await import('@dlm/models');
    const r = dlm(['sample', '--help']);
    expect(r.code).toBe(0);
    const text = r.out.replace(/\s+/g, ' ');
    for (const [name, f] of families)
      expect(text).toContain(`${name}: ${f.samplers.names().join(' | ')} (default ${f.defaultSampler})`);
  });

  it('an unknown command prints the error and help, exit 2', () => {
    const r = dlm(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown argument: frobnicate/);
    expect(r.err).toMatch(/Commands:/);
    const typo = dlm(['trian']);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/Did you mean train\?/);
  });

  it('an unknown flag prints the error and help, exit 2', () => {
    const r = dlm(['info', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown argument: bogus/);
    expect(r.err).toMatch(/--backend/);
  });

  it('no command is a usage error', () => {
    const r = dlm([]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Name a command/);
  });

  it('--help lists the backend names from the one list in @dlm/core', () => {
    const r = dlm(['--help']);
    expect(r.out.replace(/\s+/g, ' ')).toContain(`(${backendNamesHelp()})`);
  });

  it('a name that is not a backend is a named error listing the names, exit 1', () => {
    const r = dlm(['info', '--backend', 'tensorflow-gpu']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`is not a backend name, expected one of ${backendNamesHelp(', ')}, got "tensorflow-gpu"`);
  });

  it('DLM_BACKEND forces the backend too; info prints the backend line once', () => {
    const r = dlm(['info'], { DLM_BACKEND: 'wasm', DLM_THREADS: '1' });
    expect(r.code, r.err).toBe(0);
    expect(`${r.out}${r.err}`.match(/^backend\b/gm)).toHaveLength(1);
    expect(r.out).toMatch(/^backend +wasm \(forced by DLM_BACKEND=wasm\)$/m);
  });

  it('info says whether the native kernel path is on (DLM_NATIVE=1: on, with its BLAS) or why not', () => {
    const on = dlm(['info'], { DLM_BACKEND: 'wasm', DLM_THREADS: '1', DLM_NATIVE: '1' });
    expect(on.code, on.err).toBe(0);
    expect(on.out).toMatch(/^native +on: (OpenBLAS|Accelerate)\b.*threads (1|auto)$/m);
    const off = dlm(['info', '--json'], { DLM_BACKEND: 'wasm', DLM_THREADS: '1', DLM_NATIVE: '0' });
    expect(off.code, off.err).toBe(0);
    expect(JSON.parse(off.out).native).toEqual({ active: false, detail: 'DLM_NATIVE=0' });
  });
});

describe('dlm info --backend <every name the README documents>', () => {
  const documented = /`--backend ([a-z0-9|-]+)`/.exec(readme)?.[1]?.split('|');

  it('the README documents exactly the backend list of @dlm/core', () => {
    expect(documented).toEqual([...BACKEND_ORDER]);
  });

  for (const name of documented ?? []) {
    const pkg = BACKEND_PACKAGE[name as keyof typeof BACKEND_PACKAGE];
    if (pkg !== undefined && name !== 'wasm') {
      it(`${name}: runs when ${pkg} is installed and loads, else a named error listing what is available`, () => {
        const r = dlm(['info', '--json', '--backend', name]);
        if (r.code === 0) {
          expect(installed(pkg)).toBe(true);
          expect(JSON.parse(r.out).backend).toBe(name);
          return;
        }
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/^dlm: ConfigError: initBackend: backend /);
        expect(r.err).toContain(installed(pkg) ? `${pkg} failed to load` : `${pkg} not installed`);
        expect(r.err).toMatch(/expected one of the available backends: (tfjs-node(-gpu)?, )*wasm, cpu, got /);
        expect(r.err).not.toMatch(/^\s+at /m);
      });
    } else {
      it(`${name}: works (info --json reports it, a positive matmul speed)`, () => {
        const r = dlm(['info', '--json', '--backend', name], { DLM_THREADS: '1' });
        expect(r.err).not.toMatch(/Error/);
        expect(r.code).toBe(0);
        expect(r.err).not.toMatch(/^backend /m); // the JSON says it; no second backend line
        const j = JSON.parse(r.out);
        expect(j.backend).toBe(name);
        expect(j.tfjs).toBe('4.22.0');
        expect(j.matmul1024Gflops).toBeGreaterThan(0);
        expect(j.available).toEqual(expect.arrayContaining(['wasm', 'cpu']));
      });
    }
  }
});
