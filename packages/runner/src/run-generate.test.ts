// runGenerate on the LLaDA checkpoint folder of the fixtures (the batch-1 one-block case, found by content),
// with a folder tokenizer.json, and every refusal before any weight is read.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, checkpointFixtureFolder, initBackend, shutdownBackend } from '@dlm/core';
import { buildTokenizer } from '@dlm/data';
import { LLADA_GENERATE_FLAGS, checkLladaKnobs, families, type FamilyDef, type FamilyModel } from '@dlm/models';
import { saveCheckpoint } from './checkpoint.ts';
import { openSession } from './session.ts';
import { runGenerate, type GenerateCommandOptions } from './run-generate.ts';

const llada = checkpointFixtureFolder('llada');
const work = mkdtempSync(join(tmpdir(), 'dlm-generate-'));

interface Case {
  source: { repo: string };
  inputs: { prompt: number[][]; attention_mask?: number[][] };
  knobs: { steps: number; gen_length: number; block_length: number; cfg_scale?: number };
  outputs: { generated: number[][]; model_calls: number };
}
const oneRow = (JSON.parse(readFileSync(join(llada, 'generate.json'), 'utf8')) as { cases: Case[] }).cases.find(
  (c) =>
    c.source.repo === 'ML-GSAI/LLaDA' &&
    c.inputs.prompt.length === 1 &&
    !c.knobs.cfg_scale &&
    c.knobs.block_length === c.knobs.gen_length &&
    c.knobs.steps === c.knobs.gen_length,
)!;
const knobs = { genLength: oneRow.knobs.gen_length, steps: oneRow.knobs.steps, blockLength: oneRow.knobs.block_length };
const quiet = { log: () => {} };

/** A WordPiece tokenizer.json whose 64 tokens are `[UNK]`, tok1 … tok63 (id i ↔ "tok<i>"), id 42 a special `[X]`. */
function wordPiece64(): object {
  const vocab: Record<string, number> = { '[UNK]': 0 };
  for (let i = 1; i < 64; i++) vocab[i === 42 ? '[X]' : `tok${i}`] = i;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 42, content: '[X]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

async function refused(o: Partial<GenerateCommandOptions>, ...parts: RegExp[]): Promise<void> {
  const before = readdirSync(work).sort();
  const opts = { target: llada, promptIds: '47,51,7', ...knobs, ...quiet, ...o };
  const err = await runGenerate(opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
  expect(readdirSync(work).sort()).toEqual(before);
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(async () => {
  await shutdownBackend();
});

describe('runGenerate (checkpoint folder)', () => {
  it('the llada folder gives the fixture generation (generated positions only) and its model calls', async () => {
    const promptIds = oneRow.inputs.prompt[0]!.join(',');
    const r = await runGenerate({ target: llada, promptIds, ...knobs, temperature: 0, ...quiet });
    expect(r.ids).toEqual(oneRow.outputs.generated);
    expect(r.nfe).toBe(oneRow.outputs.model_calls);
    expect(r.source).toBe('the llada layout');
    // No tokenizer in the folder: the text is the ids, cut at the first EOS (61), specials removed.
    const row = oneRow.outputs.generated[0]!;
    const cut = row.includes(61) ? row.slice(0, row.indexOf(61)) : row;
    expect(r.text).toEqual([cut.filter((i) => i !== 61 && i !== 62).join(' ')]);
  });

  it("a folder's tokenizer.json encodes --prompt text and decodes the generation", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dlm-generate-tok-')), 'llada');
    mkdirSync(dir);
    for (const f of ['config.json', 'model.safetensors']) cpSync(join(llada, f), join(dir, f));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(wordPiece64()));
    const prompt = oneRow.inputs.prompt[0]!.map((i) => `tok${i}`).join(' ');
    const r = await runGenerate({ target: dir, prompt, ...knobs, ...quiet });
    expect(r.ids).toEqual(oneRow.outputs.generated);
    const row = oneRow.outputs.generated[0]!;
    const cut = row.includes(61) ? row.slice(0, row.indexOf(61)) : row;
    expect(r.text).toEqual([
      cut
        .filter((i) => i !== 62 && i !== 42) // the mask id; the special added token
        .map((i) => `tok${i}`)
        .join(' '),
    ]);
  });

  it('refuses flags, knobs, prompts and lengths with named errors (no file written)', async () => {
    await refused({ topK: 5 }, /--top-k is not used by the llada layout/, /--gen-length, --steps, --block-length/);
    await refused({ remasking: 'lowest' }, /--remasking/, /low_confidence, random/);
    await refused({ blockLength: 5 }, /--block-length/, /divisor of --gen-length/);
    await refused({ blockLength: 4, steps: 6 }, /--steps/, /multiple of the number of blocks/);
    // Defaults are LLaDA's: gen-length 128 does not fit the fixture's max_sequence_length 64.
    const defaults = { genLength: undefined, steps: undefined, blockLength: undefined };
    await refused(defaults, /too long/, /maximum length 64/, /3 \+ 128/);
    await refused({ promptIds: '47,64' }, /--prompt/, /< the vocabulary size 64/);
    await refused({ promptIds: undefined, prompt: 'hello' }, /needs a tokenizer/, /--prompt-ids/);
    await refused({ noEma: true }, /--no-ema applies to runs only/);
    await refused({ target: work }, /has no config\.json/, /supported layout: llada, gpt2, mdlm, sedd/);
  });
});

describe('runGenerate (gpt2 checkpoint folder)', () => {
  const gpt2 = checkpointFixtureFolder('gpt2');

  it('GPT-2 BPE for --prompt text, the text cut at <|endoftext|>, seeded sampling, AR flags only', async () => {
    const o = { target: gpt2, prompt: 'The quick brown fox', genLength: 4, ...quiet };
    const r = await runGenerate(o);
    expect(r.source).toBe('the gpt2 layout');
    expect(r.nfe).toBe(4);
    expect(r.ids[0]).toHaveLength(4);
    const tok = await buildTokenizer({ name: 'gpt2' });
    const row = r.ids[0]!;
    expect(r.text).toEqual([tok.decode(row.includes(50256) ? row.slice(0, row.indexOf(50256)) : row)]);
    const sampled = { ...o, temperature: 1.5, topK: 40, topP: 0.95 };
    const a = await runGenerate({ ...sampled, seed: 1 });
    expect((await runGenerate({ ...sampled, seed: 1 })).ids).toEqual(a.ids);
    expect((await runGenerate({ ...sampled, seed: 2 })).ids).not.toEqual(a.ids);
    await expect(runGenerate({ ...o, steps: 4 })).rejects.toThrow(
      /--steps is not used by the gpt2 layout.*--gen-length, --temperature, --top-k, --top-p/,
    );
    await expect(runGenerate({ ...o, topP: 0 })).rejects.toThrow(/--top-p/);
  });
});

describe('runGenerate (run directory)', () => {
  const run = join(work, 'mdlm-run');
  beforeAll(() => {
    mkdirSync(run);
    writeFileSync(join(work, 'c.jsonl'), `${JSON.stringify({ body: 'call me ishmael. '.repeat(40) })}\n`);
    const yaml = [
      'name: t',
      'seed: 3',
      'family: {name: mdlm}',
      'model: {name: dit, hidden_size: 16, cond_dim: 8, n_heads: 2, n_blocks: 1, length: 16}',
      'data:',
      '  dataset: mine',
      '  tokenizer: {name: char-vocab}',
      `  prepared_dir: ${join(work, 'prepared')}`,
      `  files: {all: {format: jsonl, path: ${join(work, 'c.jsonl')}, options: {field: body}}}`,
    ].join('\n');
    writeFileSync(join(run, 'resolved.yaml'), `${yaml}\n`);
  });

  it('a family without generate is refused by name', async () => {
    const err = await runGenerate({ target: run, promptIds: '1,2', ...quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/family mdlm cannot generate from a prompt; its commands are sample\/eval/);
  });

  it("a family with generate: run weights, left-padded prompts, the family's flags, the run's tokenizer", async () => {
    // The run's checkpoint: the freshly built model's weights, with every weight of the first tensor set to 7.
    const s = await openSession({ file: join(run, 'resolved.yaml'), ...quiet });
    const built = s.build();
    const dict = built.params.stateDict();
    const first = [...dict.keys()][0]!;
    const marked = new Map(
      [...dict].map(([k, v]) => [k, k === first ? { ...v, data: new Float32Array(v.data.length).fill(7) } : v]),
    );
    built.dispose();
    saveCheckpoint(join(run, 'checkpoints'), { step: 2, model: marked, optimizer: new Map(), state: {} });
    const text = s.data.tokenizer.encode('ishmael');
    const { eos } = s.data.tokenizer.specials;
    // mdlm has no generate: wrap its build with one that records the request and returns prompt + "ishmael", EOS.
    // …and give the family LLaDA's generation flags and knob checks.
    const def = families.get('mdlm') as { build: FamilyDef['build']; generation?: FamilyDef['generation'] };
    const original = def.build;
    def.generation = { flags: LLADA_GENERATE_FLAGS, checkKnobs: (k, op) => checkLladaKnobs(k, op) };
    const seen: Parameters<NonNullable<FamilyModel['generate']>>[0][] = [];
    let weight = 0;
    def.build = (ctx) => {
      const m = original(ctx);
      m.generate = (req) => {
        seen.push(req);
        weight = m.params.get(first).dataSync()[0]!;
        const [b, p] = req.prompt.shape as [number, number];
        const L = p + req.genLength;
        const ids = new Int32Array(b * L).fill(eos!);
        for (let r = 0; r < b; r++) {
          ids.set(req.prompt.data.subarray(r * p, (r + 1) * p), r * L);
          ids.set(text, r * L + p);
        }
        return { ids: { data: ids, shape: [b, L] }, nfe: 5 };
      };
      return m;
    };
    try {
      writeFileSync(join(work, 'p.jsonl'), '{"prompt": "call"}\n{"prompt_ids": [1]}\n');
      const r = await runGenerate({
        target: run,
        promptsFile: join(work, 'p.jsonl'),
        genLength: 10,
        steps: 5,
        ...quiet,
      });
      expect(r.source).toBe('family mdlm');
      expect(weight).toBe(7);
      expect(r.nfe).toBe(5);
      expect(r.text).toEqual(['ishmael', 'ishmael']);
      expect(r.ids[0]).toEqual([...text, eos, eos, eos]);
      const req = seen[0]!;
      expect(req).toMatchObject({ genLength: 10, steps: 5, blockLength: 10, temperature: 0, cfgScale: 0 });
      expect(req.remasking).toBe('low_confidence');
      // A run's prompts start with BOS as its training rows do: [BOS] "call" (5 ids) and [BOS, 1]; the second row
      // is left-padded (pad = the run's EOS, mask 0).
      const call = [...s.data.tokenizer.encode('call')];
      const { bos } = s.data.tokenizer.specials;
      expect([...req.prompt.data]).toEqual([bos, ...call, eos, eos, eos, bos, 1]);
      expect([...req.attention!.data]).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 1, 1]);
      // --no-bos: the ids as given.
      await runGenerate({ target: run, promptsFile: join(work, 'p.jsonl'), genLength: 10, bos: false, ...quiet });
      expect([...seen[1]!.prompt.data]).toEqual([...call, eos, eos, eos, 1]);
      expect([...seen[1]!.attention!.data]).toEqual([1, 1, 1, 1, 0, 0, 0, 1]);
      await expect(runGenerate({ target: run, promptIds: '1', genLength: 4, topP: 0.9, ...quiet })).rejects.toThrow(
        /--top-p is not used by family mdlm.*--cfg-scale/,
      );
      await expect(runGenerate({ target: run, promptIds: '1,2,3', ...quiet })).rejects.toThrow(/maximum length 16/);
    } finally {
      def.build = original;
      delete def.generation;
    }
  });
});
