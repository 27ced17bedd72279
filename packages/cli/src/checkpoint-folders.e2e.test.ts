// `dlm info <folder>` and `dlm sample <folder>` as processes on the checkpoint fixtures (found by config content):
// info prints the layout, family, parameters and a measured load (text and --json); sample prints ids for a folder
// without a tokenizer and GPT-2 text for the gpt2 folder; run-only flags on a folder are named errors, exit 1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const work = mkdtempSync(join(tmpdir(), 'dlm-folders-e2e-'));
const kindOf = (d: string): string | undefined => {
  const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
  if (typeof c['model_type'] === 'string') return c['model_type'];
  return typeof c['tokens'] === 'number' && typeof c['graph'] === 'object' ? 'sedd' : undefined;
};
const folderOf = (kind: string) =>
  readdirSync(fixturesDir)
    .map((d) => join(fixturesDir, d))
    .find((d) => existsSync(join(d, 'config.json')) && kindOf(d) === kind)!;

function dlm(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const env = { ...process.env, DLM_THREADS: '1' };
    const p = spawn(process.execPath, [bin, ...args], { cwd: work, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe('dlm info / sample on checkpoint folders (process)', () => {
  it('info (text and --json), sample (ids, GPT-2 text), run-only flags refused', async () => {
    const [info, json, ids, text, ckpt] = await Promise.all([
      dlm(['info', folderOf('mdlm')]),
      dlm(['info', folderOf('sedd'), '--json']),
      dlm(['sample', folderOf('mdlm'), '--num', '2', '--steps', '4', '--out', join(work, 's')]),
      dlm(['sample', folderOf('gpt2'), '--num', '1', '--length', '4', '--out', join(work, 'g')]),
      dlm(['sample', folderOf('mdlm'), '--checkpoint', '3']),
    ]);
    expect(info.code, info.err).toBe(0);
    expect(info.out).toMatch(/layout {7}mdlm/);
    expect(info.out).toMatch(/parameters {3}39,729 stored scalars in 31 tensors/);
    expect(info.out).toMatch(/dtypes {7}F32 ×31/);
    expect(info.out).toMatch(/tf\.memory {2}0\.00 MiB before, 0\.15 MiB with the model \(31 tensors\)/);
    expect(json.code, json.err).toBe(0);
    const r = JSON.parse(json.out) as { layout: string; family: string; load: { modelScalars: number } };
    expect(r).toMatchObject({ layout: 'sedd', family: 'sedd', load: { modelScalars: 39729 } });
    expect(ids.code, ids.err).toBe(0);
    const rows = ids.out.split('\n').filter((l) => /^\d+( \d+)*$/.test(l));
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row.split(' ').every((v) => Number(v) >= 0 && Number(v) < 40)).toBe(true);
    expect(ids.err).toMatch(/has no tokenizer .*printing token ids/);
    expect(ids.out).toMatch(/sampler ddpm_cache, 4 steps: NFE \d+/);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/=== sample 0 ===\n.+\n/);
    expect(ckpt.code).toBe(1);
    expect(ckpt.err).toMatch(/ConfigError: dlm sample: --checkpoint applies to runs only/);
  });
});
