// The `llada` backbone entry: knobs (absent = LLaDA-8B's sizes) or `init_from` a published checkpoint folder
// (the fixture's tiny LLaDA): the loaded weights are the file's, the forward equals the checkpoint model's, and
// knobs that disagree with config.json, a vocabulary of another size or a folder without config.json are
// named errors.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Rng, initBackend, loadSafetensors, tf } from '@dlm/core';
import { lladaBackbone } from './backbone.ts';
import { LladaModel } from './llada.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const folder = join(fixturesDir, 'llada'); // config.json: d_model 64, n_layers 2, embedding_size 64, max 64

const build = (config: Record<string, unknown>, vocabSize = 64) =>
  lladaBackbone.build(config, { vocabSize, timeConditioning: false, rng: Rng.seeded(3) });

describe('llada backbone', () => {
  beforeAll(() => initBackend({ backend: 'cpu', log: () => {} }));

  it('absent knobs are LLaDA-8B-Base sizes; written ones are used', () => {
    expect(lladaBackbone.maxLength({})).toBe(4096);
    const net = build({ d_model: 16, n_heads: 2, n_layers: 1, mlp_hidden_size: 24, max_sequence_length: 12 }, 10);
    expect(net.maxLength).toBe(12);
    expect(net.params.get('model.transformer.blocks.0.ff_proj.weight').shape).toEqual([24, 16]);
    expect(net.params.get('model.transformer.wte.weight').shape).toEqual([10, 16]);
    net.dispose();
  });

  it('init_from loads the folder: its sizes, its weights, the checkpoint model’s logits', () => {
    expect(lladaBackbone.maxLength({ init_from: folder })).toBe(64);
    const net = build({ init_from: folder, d_model: 64 });
    const file = loadSafetensors(folder).tensors;
    const name = 'model.transformer.blocks.1.q_proj.weight';
    expect(Array.from(net.params.get(name).dataSync())).toEqual(Array.from(file.get(name)!.data as Float32Array));
    const ref = LladaModel.fromCheckpoint(folder).model;
    const ids = tf.tensor2d([[1, 5, 62, 9]], [1, 4], 'int32');
    const a = net.forward(ids, tf.zeros([1]) as tf.Tensor1D).arraySync();
    const b = ref.forward(ids).arraySync();
    expect(a).toEqual(b);
    for (const t of [ids]) t.dispose();
    net.dispose();
    ref.dispose();
  });

  it('named errors: a knob that disagrees, another vocabulary size, no config.json', () => {
    expect(() => build({ init_from: folder, n_layers: 3 })).toThrow(/model\.n_layers.*2 \(as in .*config\.json\)/s);
    expect(() => build({ init_from: folder }, 70)).toThrow(ConfigError);
    expect(() => build({ init_from: folder }, 70)).toThrow(/embedding_size 70.*got embedding_size 64/s);
    expect(() => build({ init_from: join(folder, 'nope') })).toThrow(/model\.init_from.*config\.json/s);
  });
});
