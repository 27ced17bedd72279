// `dlm data mc-cloze / next-word` and `dlm eval generate` as processes: the task files are the same for the same
// seed; an evaluation on the gpt2 checkpoint folder prints its results object and writes its files; a process
// killed with SIGKILL resumes where it stopped to the same rows; bad inputs are one `dlm:` line, exit 1, and no
// output (a family without generate, a flag the family cannot use, a train split).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const gpt2 = join(fixturesDir, 'gpt2');
const work = mkdtempSync(join(tmpdir(), 'dlm-eval-generate-e2e-'));
const env = { ...process.env, DLM_THREADS: '1', DLM_CACHE_DIR: join(work, 'cache') };

function dlm(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', timeout: 300_000, env });
  return { code: r.status, err: r.stderr, out: r.stdout };
}
const lines = (f: string) => readFileSync(join(work, f), 'utf8').trim().split('\n');
const idsOf = (dir: string) => lines(join(dir, 'rows.jsonl')).map((l) => (JSON.parse(l) as { ids: number[] }).ids);

describe('dlm data mc-cloze / next-word, dlm eval generate (processes)', () => {
  it('task files: same seed → same bytes; a train split is refused with no file', () => {
    expect(dlm(['data', 'mc-cloze', 'moby-dick', '--out', 'a.jsonl', '--num', '50', '--seed', '3']).code).toBe(0);
    const b = dlm(['data', 'mc-cloze', 'moby-dick', '--out', 'b.jsonl', '--num', '50', '--seed', '3']);
    expect(b.code, b.err).toBe(0);
    expect(b.out).toMatch(/b\.jsonl: 50 questions from moby-dick \(test\)/);
    expect(readFileSync(join(work, 'b.jsonl'), 'utf8')).toBe(readFileSync(join(work, 'a.jsonl'), 'utf8'));
    const q = JSON.parse(lines('a.jsonl')[0]!) as { context: string; choices: string[]; label: number };
    expect(q.choices).toHaveLength(4);
    const train = dlm(['data', 'next-word', 'moby-dick', '--out', 't.jsonl', '--split', 'train']);
    expect(train.code).toBe(1);
    expect(train.err).toMatch(/^dlm: ConfigError: dlm data next-word: --split, expected a held-out split/);
    expect(existsSync(join(work, 't.jsonl'))).toBe(false);
    expect(dlm(['data', 'next-word', 'moby-dick', '--out', 'nw.jsonl', '--num', '30']).code).toBe(0);
    expect(lines('nw.jsonl')).toHaveLength(30);
  });

  it('evaluates the gpt2 folder, and a killed evaluation resumes to the same rows', async () => {
    const args = ['eval', 'generate', gpt2, '--task', 'nw.jsonl', '--extract', 'first-word'];
    const whole = dlm([...args, '--gen-length', '3', '--out', 'whole', '--json']);
    expect(whole.code, whole.err).toBe(0);
    const r = JSON.parse(whole.out) as { rows: number; accuracy: number; stderr: number; nfe: number; correct: number };
    expect(r.rows).toBe(30);
    expect(r.nfe).toBe(90);
    expect(r.accuracy).toBe(r.correct / 30);
    for (const f of ['results.json', 'results.md', 'results.arrow', 'rows.jsonl']) {
      expect(existsSync(join(work, 'whole', f)), f).toBe(true);
    }
    // Start the same evaluation, SIGKILL it once it has recorded 3 rows, then run it again.
    const p = spawn(process.execPath, [bin, ...args, '--gen-length', '3', '--out', 'killed'], {
      cwd: work,
      env,
    });
    const progress = join(work, 'killed', 'progress.jsonl');
    await new Promise<void>((done) => {
      const poll = () => {
        const n = existsSync(progress) ? readFileSync(progress, 'utf8').split('\n').length - 2 : 0;
        if (n >= 3 || p.exitCode !== null) return done();
        setTimeout(poll, 20);
      };
      poll();
    });
    p.kill('SIGKILL');
    await new Promise((done) => p.on('close', done));
    expect(existsSync(join(work, 'killed', 'results.json'))).toBe(false);
    const again = dlm([...args, '--gen-length', '3', '--out', 'killed', '--json']);
    expect(again.code, again.err).toBe(0);
    const fresh = (JSON.parse(again.out) as { fresh: number }).fresh;
    expect(fresh).toBeLessThan(30);
    expect(idsOf('killed')).toEqual(idsOf('whole'));
  });

  it('bad inputs: one dlm: line, exit 1, no output directory', () => {
    const steps = dlm(['eval', 'generate', gpt2, '--task', 'nw.jsonl', '--steps', '4', '--out', 'bad']);
    expect(steps.code).toBe(1);
    expect(steps.err).toMatch(/dlm: ConfigError: dlm eval generate: --steps is not used by family ar/);
    // A run of a family without generate (MDLM, trained 2 steps on a tiny corpus).
    mkdirSync(join(work, 'proj'));
    writeFileSync(
      join(work, 'proj', 'c.jsonl'),
      Array.from({ length: 40 }, (_, i) => JSON.stringify({ text: `the whale ${i} and the sea and the ship` })).join(
        '\n',
      ),
    );
    writeFileSync(
      join(work, 'proj', 'tiny.yaml'),
      [
        'name: tiny',
        'family: {name: mdlm}',
        'model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}',
        'data: {dataset: mine, tokenizer: {name: char-vocab}, files: {all: {format: jsonl, path: c.jsonl}}}',
        'loader: {batch_size: 2, eval_batch_size: 2}',
        'trainer: {max_steps: 2, log_every_n_steps: 1, val_check_interval: 2, checkpoint_every: 2}',
        'eval: {batches: 1, time_samples: 1}',
        'sampling: {steps: 4, num_samples: 1}',
      ].join('\n'),
    );
    const t = dlm(['train', 'proj/tiny.yaml', '--run-dir', 'mdlm-run', '--no-samples']);
    expect(t.code, t.err).toBe(0);
    const mdlm = dlm(['eval', 'generate', 'mdlm-run', '--task', 'nw.jsonl', '--out', 'bad']);
    expect(mdlm.code).toBe(1);
    expect(mdlm.err).toMatch(/dlm eval generate: mdlm-run family mdlm cannot generate from a prompt.*llada/);
    expect(existsSync(join(work, 'bad'))).toBe(false);
  });
});
