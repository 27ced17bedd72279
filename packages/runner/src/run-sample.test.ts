// `dlm sample <checkpoint folder>` (runSample on a folder, found by config content): an MDLM folder without a
// tokenizer samples ids in its vocabulary and writes them, a gpt2 folder decodes GPT-2 BPE text, a SEDD folder
// takes its config's sampler and steps; run-only flags, unknown samplers and --out on a run are named errors.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, shutdownBackend, checkpointFixtureFolder, checkpointFixturesDir } from '@dlm/core';
import { runSample } from './run-sample.ts';

const out = () => mkdtempSync(join(tmpdir(), 'dlm-sample-'));
const quiet = { log: () => {} };

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => shutdownBackend());

describe('runSample on checkpoint folders', () => {
  it('mdlm: ids in the vocabulary without MASK, written as JSONL; same seed, same samples', async () => {
    const dir = out();
    const r = await runSample({ runDir: checkpointFixtureFolder('mdlm'), num: 2, steps: 8, out: dir, ...quiet });
    expect(r.ids.shape).toEqual([2, 16]); // config model_length
    expect(r.sampler).toBe('ddpm_cache'); // the MDLM family's default
    expect([...r.ids.data].every((v) => v >= 0 && v < 40)).toBe(true); // no MASK (40) left
    expect(r.texts[0]).toBe([...r.ids.data.subarray(0, 16)].join(' '));
    expect(r.path).toBe(join(dir, 'sample-ddpm_cache-8steps-seed0.txt'));
    const rows = readFileSync(join(dir, 'sample-ddpm_cache-8steps-seed0.jsonl'), 'utf8').trim().split('\n');
    expect(rows.map((l) => (JSON.parse(l) as { ids: number[] }).ids)).toEqual([
      [...r.ids.data.subarray(0, 16)],
      [...r.ids.data.subarray(16)],
    ]);
    const again = await runSample({ runDir: checkpointFixtureFolder('mdlm'), num: 2, steps: 8, out: out(), ...quiet });
    expect([...again.ids.data]).toEqual([...r.ids.data]);
  });

  it("sedd: the config's predictor (euler) and steps (128) unless overridden", async () => {
    const r = await runSample({ runDir: checkpointFixtureFolder('sedd'), num: 1, steps: 4, out: out(), ...quiet });
    expect(r.sampler).toBe('euler');
    expect(r.steps).toBe(4);
    expect(r.nfe).toBe(5); // 4 predictor steps + the final denoiser
    expect(r.ids.shape).toEqual([1, 16]);
  });

  it('gpt2: GPT-2 BPE text', async () => {
    const r = await runSample({ runDir: checkpointFixtureFolder('gpt2'), num: 1, length: 6, out: out(), ...quiet });
    expect(r.ids.shape).toEqual([1, 6]);
    expect(typeof r.texts[0]).toBe('string');
    expect(r.texts[0]).not.toBe([...r.ids.data].join(' '));
  });

  it('named errors: run-only flags, an unknown sampler, --out on a run', async () => {
    const mdlm = checkpointFixtureFolder('mdlm');
    await expect(runSample({ runDir: mdlm, checkpoint: '3', ...quiet })).rejects.toThrow(
      /--checkpoint applies to runs/,
    );
    await expect(runSample({ runDir: mdlm, noEma: true, ...quiet })).rejects.toThrow(/--no-ema applies to runs/);
    await expect(runSample({ runDir: mdlm, sampler: 'euler', out: out(), ...quiet })).rejects.toThrow(
      /--sampler.*family mdlm: .*ddpm_cache.*"euler"/,
    );
    await expect(runSample({ runDir: join(checkpointFixturesDir(), 'no-such'), ...quiet })).rejects.toThrow(
      ConfigError,
    );
  });
});
