// The llada layout replays ML-GSAI/LLaDA generate cases of the fixture folder (README §7.3), found by
// content: the batch-1 case without CFG on one block, and the left-padded batch-2 case.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, initBackend, shutdownBackend } from '@dlm/core';
import { lladaLayout } from './llada.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const dir = join(fixturesDir, 'llada');

interface Case {
  source: { repo: string };
  inputs: { prompt: number[][]; attention_mask?: number[][] };
  knobs: { steps: number; gen_length: number; block_length: number; cfg_scale?: number; remasking: string };
  outputs: { generated: number[][]; model_calls: number };
}
const cases = (JSON.parse(readFileSync(join(dir, 'generate.json'), 'utf8')) as { cases: Case[] }).cases.filter(
  (c) => c.source.repo === 'ML-GSAI/LLaDA',
);
const oneRow = cases.find(
  (c) => c.inputs.prompt.length === 1 && !c.knobs.cfg_scale && c.knobs.block_length === c.knobs.gen_length,
);
const padded = cases.find((c) => !c.knobs.cfg_scale && c.inputs.attention_mask?.flat().includes(0));

afterAll(async () => {
  await shutdownBackend();
});

describe('llada layout', () => {
  it('generates the fixture cases token for token (generated positions only), with the model calls', async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const opened = lladaLayout.generation!.open(dir);
    try {
      for (const c of [oneRow!, padded!]) {
        const B = c.inputs.prompt.length;
        const P = c.inputs.prompt[0]!.length;
        const flat = (rows: number[][]) => ({ data: Int32Array.from(rows.flat()), shape: [B, P] });
        const r = opened.generate({
          prompt: flat(c.inputs.prompt),
          attention: c.inputs.attention_mask ? flat(c.inputs.attention_mask) : undefined,
          genLength: c.knobs.gen_length,
          steps: c.knobs.steps,
          blockLength: c.knobs.block_length,
          temperature: 0,
          remasking: c.knobs.remasking,
          cfgScale: 0,
          topK: 0,
          topP: 1,
          rng: Rng.seeded(0),
        });
        expect(r.ids.shape).toEqual([B, c.knobs.gen_length]);
        const G = c.knobs.gen_length;
        expect(Array.from({ length: B }, (_, b) => Array.from(r.ids.data.subarray(b * G, (b + 1) * G)))).toEqual(
          c.outputs.generated,
        );
        expect(r.nfe).toBe(c.outputs.model_calls);
      }
    } finally {
      opened.dispose();
    }
  });
});
