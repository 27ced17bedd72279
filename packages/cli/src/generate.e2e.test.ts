// `dlm generate` as a process on the LLaDA checkpoint folder of the fixtures: the JSON output equals the
// ML-GSAI/LLaDA generate cases (found by content: the batch-1 one-block case, and the left-padded batch-2
// case fed as a --prompts JSONL of two prompts of different lengths) and one batch-1 NVlabs/Fast-dLLM case of each
// function and commit (--cache from the function, --cache-loop from the commit), and every bad input is a named
// error, exit 1, with no file written.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/dlm.js', import.meta.url));
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const llada = join(fixturesDir, 'llada');
const work = mkdtempSync(join(tmpdir(), 'dlm-generate-e2e-'));

interface Case {
  source: { repo: string };
  inputs: { prompt: number[][]; attention_mask?: number[][] };
  knobs: { steps: number; gen_length: number; block_length: number; temperature: number; cfg_scale?: number };
  outputs: { generated: number[][]; model_calls: number };
}
const cases = (JSON.parse(readFileSync(join(llada, 'generate.json'), 'utf8')) as { cases: Case[] }).cases.filter(
  (c) => c.source.repo === 'ML-GSAI/LLaDA' && c.knobs.temperature === 0 && !c.knobs.cfg_scale,
);
const prompt = [47, 51, 7, 36, 4];

interface FastCase {
  name: string;
  source: { repo: string; function: string; commit: string };
  inputs: { prompt: number[][] };
  knobs: { steps: number; gen_length: number; block_length: number; threshold?: number | null; factor?: number | null };
  outputs: { generated: number[][]; nfe: number };
}
const CACHE_OF_FUNCTION: Record<string, string> = {
  generate: 'none',
  generate_with_prefix_cache: 'prefix',
  generate_with_dual_cache: 'dual',
};
/** The first batch-1 Fast-dLLM case of every (function, commit). */
const fastCases = [
  ...new Map(
    (JSON.parse(readFileSync(join(llada, 'generate.json'), 'utf8')) as { cases: FastCase[] }).cases
      .filter((c) => c.source.repo === 'NVlabs/Fast-dLLM' && c.inputs.prompt.length === 1)
      .map((c) => [`${c.source.function} ${c.source.commit}`, c] as const)
      .reverse(),
  ).values(),
];
const fastArgs = (c: FastCase) => {
  const cache = CACHE_OF_FUNCTION[c.source.function]!;
  const loop = c.source.commit.startsWith('24cc59e') ? 'call-first' : 'check-first';
  return [
    ...['--prompt-ids', c.inputs.prompt[0]!.join(','), '--gen-length', `${c.knobs.gen_length}`],
    ...['--steps', `${c.knobs.steps}`, '--block-length', `${c.knobs.block_length}`, '--cache', cache, '--json'],
    ...(cache === 'none' ? [] : ['--cache-loop', loop]),
    ...(c.knobs.threshold != null ? ['--threshold', `${c.knobs.threshold}`] : []),
    ...(c.knobs.factor != null ? ['--factor', `${c.knobs.factor}`] : []),
  ];
};
// SEDD / MDLM folders, by config content (SEDD's hydra config has tokens + graph, MDLM model_type "mdlm").
const ditFolders = readdirSync(fixturesDir)
  .map((d) => join(fixturesDir, d))
  .flatMap((d): [string, string][] => {
    const file = join(d, 'config.json');
    if (!existsSync(file)) return [];
    const cfg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (cfg['model_type'] === 'mdlm') return [['mdlm', d]];
    return typeof cfg['tokens'] === 'number' && typeof cfg['graph'] === 'object' ? [['sedd', d]] : [];
  });
const oneRow = cases.find(
  (c) => c.inputs.prompt.length === 1 && c.inputs.prompt[0]!.join() === prompt.join() && c.knobs.gen_length === 16,
);
const padded = cases.find((c) => c.inputs.prompt.length === 2 && c.inputs.attention_mask?.flat().includes(0));

function dlm(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const env = { ...process.env, DLM_THREADS: '1' };
    const p = spawn(process.execPath, [bin, 'generate', ...args], { cwd: work, env });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => done({ code, out, err }));
  });
}

const knobArgs = (c: Case) => [
  ...['--gen-length', `${c.knobs.gen_length}`, '--steps', `${c.knobs.steps}`],
  ...['--block-length', `${c.knobs.block_length}`, '--temperature', '0', '--json'],
];

describe('dlm generate (process)', () => {
  it('--prompt-ids and a --prompts JSONL of different lengths give the fixture generations', async () => {
    expect(oneRow, 'the batch-1 case with prompt 47,51,7,36,4').toBeDefined();
    expect(padded, 'a left-padded batch-2 case').toBeDefined();
    // The padded case's prompts without their padding (attention 0) → two JSONL rows of different lengths.
    const rows = padded!.inputs.prompt.map((r, b) => r.filter((_, j) => padded!.inputs.attention_mask![b]![j] === 1));
    expect(rows[0]!.length).not.toBe(rows[1]!.length);
    writeFileSync(join(work, 'prompts.jsonl'), rows.map((r) => JSON.stringify({ prompt_ids: r })).join('\n'));
    const [one, two] = await Promise.all([
      dlm([llada, '--prompt-ids', prompt.join(','), ...knobArgs(oneRow!)]),
      dlm([llada, '--prompts', 'prompts.jsonl', ...knobArgs(padded!)]),
    ]);
    expect(one.code, one.err).toBe(0);
    const a = JSON.parse(one.out) as { ids: number[][]; text: string[]; nfe: number };
    expect(a.ids).toEqual(oneRow!.outputs.generated);
    expect(a.nfe).toBe(oneRow!.outputs.model_calls);
    expect(a.text).toHaveLength(1);
    expect(two.code, two.err).toBe(0);
    const b = JSON.parse(two.out) as { ids: number[][]; text: string[]; nfe: number };
    expect(b.ids).toEqual(padded!.outputs.generated);
    expect(b.nfe).toBe(padded!.outputs.model_calls);
    expect(readdirSync(work)).toEqual(['prompts.jsonl']);
  });

  it('Fast-dLLM: one case of each function and commit through --cache / --threshold / --factor / --cache-loop', async () => {
    const functions = fastCases.map((c) => c.source.function).sort();
    const all = ['generate', 'generate_with_dual_cache', 'generate_with_prefix_cache'];
    expect(functions).toEqual(all.flatMap((f) => [f, f])); // two commits each
    for (let i = 0; i < fastCases.length; i += 2) {
      const batch = fastCases.slice(i, i + 2);
      const results = await Promise.all(batch.map((c) => dlm([llada, ...fastArgs(c)])));
      results.forEach((r, j) => {
        const c = batch[j]!;
        expect(r.code, `${c.name}: ${r.err}`).toBe(0);
        const got = JSON.parse(r.out) as { ids: number[][]; nfe: number };
        expect(got.ids, c.name).toEqual(c.outputs.generated);
        expect(got.nfe, c.name).toBe(c.outputs.nfe);
      });
    }
  });

  it('bad inputs: named errors, exit 1, no output file', async () => {
    expect(ditFolders.map(([k]) => k)).toEqual(expect.arrayContaining(['mdlm', 'sedd']));
    const noMask = join(work, 'no-mask');
    const unknown = join(work, 'unknown');
    const empty = join(work, 'empty');
    for (const d of [noMask, unknown, empty]) mkdirSync(d);
    const cfg = JSON.parse(readFileSync(join(llada, 'config.json'), 'utf8')) as Record<string, unknown>;
    delete cfg['mask_token_id'];
    writeFileSync(join(noMask, 'config.json'), JSON.stringify(cfg));
    cpSync(join(llada, 'model.safetensors'), join(noMask, 'model.safetensors'));
    writeFileSync(join(unknown, 'config.json'), JSON.stringify({ ...cfg, model_type: 'bert' }));
    const before = readdirSync(work, { recursive: true }).sort();
    const ids = ['--prompt-ids', '1,2,3'];
    const bad: [string[], RegExp][] = [
      [[llada, ...ids, '--gen-length', '62'], /ConfigError: dlm generate: --prompt is too long.*maximum length 64/],
      [[llada, ...ids, '--gen-length', '8', '--remasking', 'lowest'], /--remasking.*low_confidence, random.*"lowest"/],
      [[llada, ...ids, '--gen-length', '8', '--block-length', '3'], /--block-length.*divisor of --gen-length 8/],
      [[llada, ...ids, '--gen-length', '8', '--block-length', '4', '--steps', '3'], /--steps.*number of blocks/],
      [[llada, ...ids, '--gen-length', '8', '--top-k', '3'], /--top-k is not used by the llada layout.*--cfg-scale/],
      [[noMask, ...ids, '--gen-length', '8'], /ConfigError: .*mask_token_id is missing/],
      [
        [llada, ...ids, '--gen-length', '8', '--threshold', '0.9', '--factor', '2'],
        /--threshold, --factor.*one of them/,
      ],
      [
        [llada, ...ids, '--gen-length', '8', '--cache-loop', 'call-first'],
        /--cache-loop.*--cache prefix\|dual with it/,
      ],
      [
        [llada, ...ids, '--gen-length', '8', '--cache', 'full'],
        /--cache, expected one of none, prefix, dual, got "full"/,
      ],
      [[llada, ...ids, '--gen-length', '8', '--cache', 'dual', '--cfg-scale', '1'], /--cfg-scale.*no classifier-free/],
      [[unknown, ...ids, '--gen-length', '8'], /model_type is not a layout.*llada, gpt2, mdlm, sedd.*"bert"/],
      [[empty, ...ids, '--gen-length', '8'], /has no config\.json.*supported layout: llada, gpt2, mdlm, sedd/],
      ...ditFolders.map(([kind, dir]): [string[], RegExp] => [
        [dir, ...ids],
        new RegExp(`layout ${kind} has no prompt-conditioned generation.*use \`dlm sample .*generates from a prompt`),
      ]),
    ];
    const results = await Promise.all(bad.map(([args]) => dlm(args)));
    results.forEach((r, i) => {
      expect(r.code, `${bad[i]![0].join(' ')}: ${r.err}`).toBe(1);
      expect(r.err).toMatch(bad[i]![1]);
      expect(r.err).not.toMatch(/^\s+at /m);
      expect(r.out).toBe('');
    });
    expect(readdirSync(work, { recursive: true }).sort()).toEqual(before);
  });
});
