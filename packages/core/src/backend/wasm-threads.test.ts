import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, shutdownBackend } from './select.ts';

const FIXTURE = fileURLToPath(new URL('./exit-check.fixture.ts', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('../..', import.meta.url));

interface ChildResult {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** Runs the fixture in a fresh `node --import tsx`; kills it after `limitMs` (a hang, not a timing). */
function runChild(args: string[], limitMs: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
      cwd: CORE_DIR,
      env: { ...process.env, DLM_BACKEND: '', DLM_THREADS: '' },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

afterAll(async () => {
  await shutdownBackend();
});

describe('multi-threaded wasm in Node', () => {
  it('a process that used 2 wasm threads exits by itself (no shutdown call)', async () => {
    const r = await runChild(['natural', '2'], 30_000);
    expect(r.killed, `child hung; stderr: ${r.stderr}`).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ threads: 2, name: 'wasm', first: 64, size: 128 * 32 });
  });

  it('and exits after an explicit shutdownBackend()', async () => {
    const r = await runChild(['shutdown', '2'], 30_000);
    expect(r.killed, `child hung; stderr: ${r.stderr}`).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).threads).toBe(2);
  });

  it('work scheduled after our beforeExit hook falls back to cpu instead of hanging', async () => {
    const r = await runChild(['late', '2'], 30_000);
    expect(r.killed, `child hung; stderr: ${r.stderr}`).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const [first, late] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first!.threads).toBe(2);
    expect(late).toEqual({ late: 'cpu', value: 8 });
  });

  it('runs 2 XNNPACK threads in this process, agrees with cpu on all transpose variants', async () => {
    const info = await initBackend({ backend: 'wasm', threads: 2, native: false, log: () => {}, env: {} });
    expect(info.threads).toBe(2);
    expect(info.accelerators['wasm-threads']).toBe(true);
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
    // The glue's process-wide rethrowing handlers are removed again.
    expect(process.listeners('uncaughtException').some((l) => String(l).includes('ExitStatus'))).toBe(false);
    const a = Float32Array.from({ length: 96 * 80 }, (_, i) => Math.sin(i * 0.37));
    const b = Float32Array.from({ length: 80 * 72 }, (_, i) => Math.cos(i * 0.11));
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const run = () =>
        tf.tidy(() =>
          tf.matMul(tf.tensor(a, tA ? [80, 96] : [96, 80]), tf.tensor(b, tB ? [72, 80] : [80, 72]), tA, tB).dataSync(),
        );
      await tf.setBackend('wasm');
      const got = run();
      await tf.setBackend('cpu');
      const want = run();
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(want[i]!));
    }
  });

  it('changing the thread count re-creates the backend; threads 1 uses the single-threaded build', async () => {
    const one = await initBackend({ backend: 'wasm', threads: 1, native: false, log: () => {}, env: {} });
    expect(one.threads).toBe(1);
    expect(one.accelerators['wasm-threads']).toBe('single-threaded (threads 1)');
    expect(tf.sum(tf.ones([1000])).dataSync()[0]).toBe(1000);
    const two = await initBackend({ backend: 'wasm', threads: 2, native: false, log: () => {}, env: {} });
    expect(two.threads).toBe(2);
    expect(tf.sum(tf.ones([1000])).dataSync()[0]).toBe(1000);
  });
});
