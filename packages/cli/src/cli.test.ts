// The CLI run as a process, as a user runs it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));

function dlm(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
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
    for (const [name, f] of families) expect(text).toContain(`${name}: ${f.samplers.names().join(' | ')} (default ${f.defaultSampler})`);
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

  it('info --json reports the forced backend and a positive matmul speed', () => {
    const r = dlm(['info', '--json', '--backend', 'cpu']);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.backend).toBe('cpu');
    expect(j.tfjs).toBe('4.22.0');
    expect(j.matmul1024Gflops).toBeGreaterThan(0);
    expect(j.available).toContain('wasm');
  });

  it('forcing an unavailable backend names the available ones, exit 1', () => {
    const r = dlm(['info', '--backend', 'tensorflow-gpu']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tensorflow-gpu/);
    expect(r.err).toMatch(/wasm/);
    expect(r.err).toMatch(/cpu/);
  });

  it('DLM_BACKEND forces the backend too', () => {
    const r = dlm(['info', '--json'], { DLM_BACKEND: 'wasm' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).backend).toBe('wasm');
  });
});
