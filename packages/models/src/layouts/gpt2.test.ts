// The gpt2 layout on the GPT-2 fixture folder (README §8, found by config model_type): the first greedy token
// of left-padded prompts equals the reference's `argmax` at that position (HF GPT2LMHeadModel, text_batch
// case), and greedy decoding with the KV cache equals greedy decoding by full forwards of each row alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, argmaxRows, checkpointFixtureFolder, initBackend, shutdownBackend, tf } from '@dlm/core';
import { Gpt2Model } from '../backbones/gpt2/gpt2.ts';
import { detectCheckpointLayout } from './registry.ts';
import { gpt2Layout } from './gpt2.ts';

const dir = checkpointFixtureFolder('gpt2');

interface Case {
  inputs: { input_ids: number[][] };
  outputs: { argmax: number[][]; argmax_margin: number[][] };
}

const knobs = { steps: 1, blockLength: 1, temperature: 0, remasking: '', cfgScale: 0, topK: 0, topP: 1 };

afterAll(async () => {
  await shutdownBackend();
});

describe('gpt2 layout', () => {
  it('is detected from config.json with the GPT-2 limits and specials', () => {
    expect(dir, 'a gpt2 fixture folder').toBeDefined();
    const { layout, header } = detectCheckpointLayout(dir);
    expect(layout.name).toBe('gpt2');
    expect(layout.tokenizer).toBe('gpt2');
    expect(header).toMatchObject({ vocabSize: 50257, maxLength: 512, eosId: 50256, padId: 50256 });
  });

  it("left-padded prompts: the first greedy token is the reference's argmax; the KV cache equals full forwards", async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const cases = (JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;
    // Two rows of at least 6 tokens; prompts of 6 and 3 tokens where the reference's argmax margin is ≥ 1e-3.
    const c = cases.find((k) => k.inputs.input_ids.length === 2 && k.inputs.input_ids[0]!.length >= 6)!;
    const lens = [6, 3];
    lens.forEach((n, b) => expect(c.outputs.argmax_margin[b]![n - 1]).toBeGreaterThanOrEqual(1e-3));
    const rows = lens.map((n, b) => c.inputs.input_ids[b]!.slice(0, n));
    const prompt = { data: Int32Array.from([...rows[0]!, 50256, 50256, 50256, ...rows[1]!]), shape: [2, 6] };
    const attention = { data: Int32Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1]), shape: [2, 6] };
    const G = 5;
    const opened = gpt2Layout.generation!.open(dir);
    const before = tf.memory().numTensors;
    let ids: number[][];
    try {
      const r = opened.generate({ prompt, attention, genLength: G, rng: Rng.seeded(0), ...knobs });
      expect(r.nfe).toBe(G);
      ids = [0, 1].map((b) => [...r.ids.data.subarray(b * G, (b + 1) * G)]);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      opened.dispose();
    }
    expect(ids.map((r) => r[0])).toEqual(lens.map((n, b) => c.outputs.argmax[b]![n - 1]));
    // Greedy by full forwards of each row alone (no cache, no padding).
    const { model } = Gpt2Model.fromCheckpoint(dir);
    try {
      const greedy = rows.map((row) => {
        const seq = [...row];
        for (let t = 0; t < G; t++) {
          const last = tf.tidy(() => {
            const logits = model.logits(tf.tensor2d(seq, [1, seq.length], 'int32')); // [1, n, V]
            return tf.slice(logits, [0, seq.length - 1, 0], [1, 1, 50257]).dataSync() as Float32Array;
          });
          seq.push(argmaxRows(last, 50257)[0]!);
        }
        return seq.slice(row.length);
      });
      expect(ids).toEqual(greedy);
    } finally {
      model.dispose();
    }
  });
});
