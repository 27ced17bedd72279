// Training on your own files through the CLI: the cache follows the file's content (a same-size
// edit rebuilds), a missing path is a one-line `dlm:` error, and a run works from any directory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dlm-files-e2e-'));
const cache = join(work, 'cache');

// The YAML lives in proj/ and names its corpus relative to itself (field `body`: no `e` in the key,
// so replacing every `e` edits only the text).
const TINY = `
name: tiny
family: {name: mdlm}
model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}
data:
  dataset: mine
  tokenizer: {name: char-vocab}
  files:
    all: {format: jsonl, path: corpus/c.jsonl, options: {field: body}}
loader: {batch_size: 2, eval_batch_size: 2}
trainer: {max_steps: 2, log_every_n_steps: 1, val_check_interval: 2, checkpoint_every: 2}
eval: {batches: 1, time_samples: 1}
sampling: {steps: 4, num_samples: 1}
`;
const WORDS = 'the whale sea ship captain harpoon ocean deep white sails rope'.split(' ');
const corpusPath = join(work, 'proj', 'corpus', 'c.jsonl');

function dlm(args: string[], cwd = work) {
  const env = { ...process.env, DLM_THREADS: '1', DLM_CACHE_DIR: cache };
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, err: r.stderr, out: r.stdout };
}
const losses = (out: string) => [...out.matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));

beforeAll(() => {
  mkdirSync(join(work, 'proj', 'corpus'), { recursive: true });
  mkdirSync(join(work, 'elsewhere'), { recursive: true });
  const doc = (i: number) => WORDS.map((_, j) => WORDS[(i * j) % WORDS.length]).join(' ');
  const docs = Array.from({ length: 60 }, (_, i) => JSON.stringify({ body: doc(i) }));
  writeFileSync(corpusPath, `${docs.join('\n')}\n`);
  writeFileSync(join(work, 'proj', 'tiny.yaml'), TINY);
});

describe('data.files through the CLI', () => {
  it('an edit that keeps the byte size rebuilds shards and tokenizer (new vocabulary, new loss)', () => {
    const a = dlm(['train', 'proj/tiny.yaml', '--run-dir', 'runs/before', '--no-samples']);
    expect(a.code, a.err).toBe(0);
    const bytes = readFileSync(corpusPath);
    // sed -i 's/e/a/g' (not e→Z: a one-to-one renaming gives the same ids, hence the same loss)
    writeFileSync(corpusPath, bytes.toString('utf8').replace(/e/g, 'a'));
    expect(readFileSync(corpusPath).length).toBe(bytes.length);
    const b = dlm(['train', 'proj/tiny.yaml', '--run-dir', 'runs/after', '--no-samples']);
    expect(b.code, b.err).toBe(0);
    expect(b.err).toMatch(/mine vocabulary: 54 documents/); // prepared again, not reused
    const vocab = (run: string) => readFileSync(join(work, 'runs', run, 'tokenizer.json'), 'utf8');
    expect(vocab('before')).toMatch(/"e"/);
    expect(vocab('after')).not.toMatch(/"e"/);
    expect(a.err).toMatch(/char-vocab, vocab 19\)/);
    expect(b.err).toMatch(/char-vocab, vocab 18\)/);
    expect(losses(b.out)).toHaveLength(2);
    expect(losses(b.out)).not.toEqual(losses(a.out));
    const record = (run: string) => JSON.parse(readFileSync(join(work, 'runs', run, 'data.json'), 'utf8'));
    expect(record('before').files[0].path).toBe(corpusPath);
    expect(record('after').files[0].sha256).not.toBe(record('before').files[0].sha256);
    // The resolved experiment is the same text for the same YAML; only data.json tells the data apart.
    const resolved = (run: string) => readFileSync(join(work, 'runs', run, 'resolved.yaml'), 'utf8');
    expect(resolved('after')).toBe(resolved('before'));
    expect(resolved('after')).toContain(`path: ${corpusPath}`);
  });

  it('a missing data.files path: one dlm: line naming the key and absolute path, exit 1, no run directory', () => {
    const r = dlm(['train', 'proj/tiny.yaml', '--set', 'data.files.all.path=nope.jsonl', '--run-dir', 'runs/missing']);
    expect(r.code).toBe(1);
    const line = `dlm: ConfigError: data.files.all.path: ${join(work, 'nope.jsonl')} does not exist`;
    expect(r.err).toContain(`${line}, expected an existing jsonl file`);
    expect(r.err).not.toMatch(/^\s+at |ENOENT/m);
    expect(existsSync(join(work, 'runs', 'missing'))).toBe(false);
  });

  it('a run trained from one directory is resumed and evaluated from another', () => {
    const t = dlm(['train', 'tiny.yaml', '--run-dir', '../runs/moved', '--no-samples'], join(work, 'proj'));
    expect(t.code, t.err).toBe(0);
    // Continue to step 4 from a directory where corpus/c.jsonl does not exist.
    const yamlPath = join(work, 'runs', 'moved', 'resolved.yaml');
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8').replace('max_steps: 2', 'max_steps: 4'));
    const r = dlm(['train', '--resume', '../runs/moved', '--no-samples'], join(work, 'elsewhere'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/step 4\/4/);
    expect(r.out).not.toMatch(/step 2\/4/);
    const e = dlm(['eval', join(work, 'runs', 'moved')], join(work, 'elsewhere'));
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/validation NELBO\s+\d+\.\d+/);
    expect(e.out).toMatch(/weights\s+step 4/);
    expect(readdirSync(join(work, 'elsewhere'))).toEqual([]); // nothing prepared under the working directory
  });
});
