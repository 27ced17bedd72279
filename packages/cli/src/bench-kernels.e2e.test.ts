// `dlm bench kernels` through the CLI on a short batch: the profile table and the memory line print, and
// `--compare-torch` with a Python that does not exist says how to install torch while dlm's figures still print.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));

function dlm(args: string[]) {
  const env = { ...process.env, DLM_THREADS: '1' };
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 600_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const small = ['bench', 'kernels', '--steps', '1', '--batch', '1', '--length', '8'];

describe('dlm bench kernels', () => {
  it('--profile --compare-torch without torch: the dlm figures, the profile and how to install torch', () => {
    const r = dlm([...small, '--profile', '--compare-torch', '--python', '/nonexistent/python3']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^DiT forward +[\d,]+ tokens\/s/m);
    expect(r.out).toMatch(/^DiT train step \(fwd\+bwd\+AdamW\) +[\d,]+ tokens\/s/m);
    expect(r.out).toMatch(
      /^peak memory: RSS [\d,]+ MiB; wasm heap [\d,]+ MiB; tf\.memory numBytes [\d,]+ MiB \(forward\), [\d,]+ MiB \(training/m,
    );
    expect(r.out).toMatch(/^BatchMatMul +[\d.,]+ +[\d.]+% +\d+ +[\d.,]+ +[\d.]+% +\d+$/m);
    expect(r.out).toMatch(/^outside kernels/m);
    expect(r.out).toMatch(
      /^PyTorch comparison: no Python with torch \(\/nonexistent\/python3: .*ENOENT\); .*apt-get install python3-torch libopenblas0-pthread/m,
    );
  }, 600_000);

  it('--json carries the flops, the memory and the reason for no comparison', () => {
    const r = dlm([...small, '--json', '--python', '/nonexistent/python3']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as {
      network: { params: number };
      flops: { forward: number; train: number };
      memory: { peakRssBytes: number; wasmHeapBytes: number; trainPeakBytes: number };
      torch: { unavailable: string };
    };
    expect(j.network.params).toBe(5_389_313); // the default network's 5,420,033 minus 120 rows of learned positions
    expect(j.flops.train).toBe(3 * j.flops.forward);
    expect(j.memory.trainPeakBytes).toBeGreaterThan(0);
    expect(j.memory.wasmHeapBytes).toBeGreaterThan(0);
    expect(j.memory.peakRssBytes).toBeGreaterThan(j.memory.wasmHeapBytes);
    expect(j.torch.unavailable).toMatch(/no Python with torch/);
    expect(r.err).toMatch(/dlm bench kernels: no Python with torch/);
  }, 600_000);

  it('a Python with torch whose benchmark fails: its error line, and the dlm figures all the same', () => {
    const fake = join(mkdtempSync(join(tmpdir(), 'dlm-fake-python-')), 'python3');
    // Answers the torch probe (-c …), then fails the benchmark as a Python traceback ends.
    writeFileSync(
      fake,
      '#!/bin/sh\ncase "$1" in -c) echo 1.13.0; exit 0;; esac\necho "RuntimeError: out of memory" >&2\nexit 1\n',
    );
    chmodSync(fake, 0o755);
    const r = dlm([...small, '--python', fake]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^DiT train step \(fwd\+bwd\+AdamW\) +[\d,]+ tokens\/s/m);
    expect(r.out).toContain(
      `PyTorch comparison: bench kernels --compare-torch: python failed: RuntimeError: out of memory`,
    );
  }, 600_000);
});
