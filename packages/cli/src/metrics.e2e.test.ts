// `dlm metrics` as a process on the seq2seq-metrics fixture (DLM_METRICS_FIXTURES_DIR, else
// ../shared/fixtures/seq2seq-metrics): the --json corpus values equal the fixture's expected.json corpus values
// (sacreBLEU / rouge-score) at its tolerances, the text output is the short table, and bad inputs are named
// errors: hyp and ref files of different line counts, a missing file (exit 1), a flag the metric does not take
// (usage, exit 2).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = process.env['DLM_METRICS_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/seq2seq-metrics');
const work = mkdtempSync(join(tmpdir(), 'dlm-metrics-e2e-'));

interface Tolerance {
  rtol: number;
  atol: number;
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  n_lines: number;
  tolerance: { bleu_chrf: Tolerance; rouge: Tolerance };
  corpus: Record<string, unknown>;
  lines: { hypothesis: string; reference: string }[];
};
const hyp = join(dir, 'hyps.txt');
const ref = join(dir, 'refs.txt');

function dlm(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [bin, 'metrics', ...args], { cwd: work, env: process.env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => done({ code, out, err }));
  });
}

/** Every number of `want` at the same place in `got`: counts and lengths exactly, the rest within tolerance. */
function expectClose(path: string, want: unknown, got: unknown, tol: Tolerance, exact = false): number {
  if (typeof want === 'number') {
    if (exact) expect(got, path).toBe(want);
    else expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(want));
    return 1;
  }
  let n = 0;
  for (const [k, v] of Object.entries(want as object)) {
    const isExact = exact || ['counts', 'totals', 'sys_len', 'ref_len'].includes(k);
    n += expectClose(`${path}.${k}`, v, (got as Record<string, unknown>)?.[k], tol, isExact);
  }
  return n;
}

describe('dlm metrics (process)', () => {
  it('--json reproduces every corpus value of the fixture (BLEU, chrF, chrF++, ROUGE with and without stemmer)', async () => {
    const runs = await Promise.all(
      [['bleu'], ['chrf'], ['chrf', '--word-order', '2'], ['rouge'], ['rouge', '--stemmer']].map((a) =>
        dlm([...a, '--hyp', hyp, '--ref', ref, '--json']),
      ),
    );
    const corpus: Record<string, unknown> = {};
    for (const r of runs) {
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out) as {
        n_lines: number;
        corpus: Record<string, unknown>;
        lines: { line: number; hypothesis: string; reference: string }[];
      };
      expect(report.n_lines).toBe(expected.n_lines);
      expect(report.lines.map((l) => [l.hypothesis, l.reference])).toEqual(
        expected.lines.map((l) => [l.hypothesis, l.reference]),
      );
      Object.assign(corpus, report.corpus);
    }
    let n = 0;
    for (const [key, want] of Object.entries(expected.corpus)) {
      const tol = key.startsWith('rouge') ? expected.tolerance.rouge : expected.tolerance.bleu_chrf;
      expect(corpus, key).toHaveProperty(key);
      n += expectClose(key, want, corpus[key], tol);
    }
    expect(n).toBeGreaterThan(0);
  });

  it('prints a short table by default', async () => {
    const r = await dlm(['bleu', '--hyp', hyp, '--ref', ref]);
    expect(r.code, r.err).toBe(0);
    const bleu = expected.corpus['bleu'] as { score: number; sys_len: number; ref_len: number };
    expect(r.out).toContain(`score              ${bleu.score.toFixed(4)}`);
    expect(r.out).toContain(`sys_len / ref_len  ${bleu.sys_len} / ${bleu.ref_len}`);
    expect(r.out.trim().split('\n').length).toBeLessThan(12);
  });

  it('hyp and ref files with different line counts, or a missing file: named errors, exit 1', async () => {
    const short = join(work, 'refs-short.txt');
    const lines = readFileSync(ref, 'utf8').slice(0, -1).split('\n');
    writeFileSync(short, `${lines.slice(0, -1).join('\n')}\n`);
    const [count, missing, usage] = await Promise.all([
      dlm(['rouge', '--hyp', hyp, '--ref', short]),
      dlm(['chrf', '--hyp', join(work, 'none.txt'), '--ref', ref]),
      dlm(['bleu', '--hyp', hyp, '--ref', ref, '--stemmer']),
    ]);
    expect(count.code).toBe(1);
    expect(count.err).toContain(
      `ShapeError: dlm metrics rouge: --ref ${short}, expected ${lines.length} lines, as many as --hyp ${hyp}, ` +
        `got ${lines.length - 1} lines`,
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/ConfigError: dlm metrics chrf: --hyp, expected an existing text file.*none\.txt/);
    for (const r of [count, missing]) expect(r.err).not.toMatch(/^\s+at /m);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--stemmer applies to rouge only, not bleu/);
  });
});
