// `dlm eval mc <gpt2 fixture folder> --task <mc fixture> --shots 0 --json` as a process: the JSON summary holds the
// fixture's 0-shot accuracy object exactly (per_subject, per_subject_counts, overall_micro, overall_macro) plus the
// stderrs and acc_norm; results land in --out. A task with an answer outside A–D exits 1 with the named error.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const mcDir = process.env['DLM_MC_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/mc');
const expected = JSON.parse(readFileSync(join(mcDir, 'expected.json'), 'utf8')) as {
  model: { checkpoint: string };
  settings: { num_fewshot: number; accuracy: Record<string, unknown> }[];
};
const model = resolve(mcDir, expected.model.checkpoint);
const work = mkdtempSync(join(tmpdir(), 'dlm-mc-e2e-'));

function dlm(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const env = { ...process.env, DLM_BACKEND: 'wasm' };
    const p = spawn(process.execPath, [bin, 'eval', 'mc', ...args], { cwd: work, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe('dlm eval mc (process)', () => {
  it('--shots 0 --json: the fixture accuracy object, stderrs and acc_norm', async () => {
    const out = join(work, 'out');
    const r = await dlm([model, '--task', mcDir, '--shots', '0', '--json', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { accuracy: Record<string, unknown>; questions: number; family: string };
    const want = expected.settings.find((s) => s.num_fewshot === 0)!.accuracy;
    expect(j.family).toBe('ar');
    for (const k of ['per_subject', 'per_subject_counts', 'overall_micro', 'overall_macro']) {
      expect(j.accuracy[k], k).toEqual(want[k]);
    }
    const se = j.accuracy['per_subject_stderr'] as Record<string, number>;
    expect(Object.keys(se).sort()).toEqual(Object.keys(want['per_subject'] as object).sort());
    expect(j.accuracy['overall_micro_stderr']).toBeGreaterThan(0);
    expect((j.accuracy['acc_norm'] as { overall_micro: number }).overall_micro).toBeGreaterThanOrEqual(0);
    for (const f of ['results.json', 'results.md', 'results.arrow', 'questions.jsonl', 'progress.jsonl']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it('an answer outside A–D: exit 1, the file:line and what was expected, no output directory', async () => {
    const csv = join(work, 'optics_test.csv');
    writeFileSync(csv, 'q,a,b,c,d,A\nq,a,b,c,d,e\n');
    const out = join(work, 'bad');
    const r = await dlm([model, '--task', csv, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${csv}:2, expected an answer letter A, B, C or D, got "e"`);
    expect(existsSync(out)).toBe(false);
  });
});
