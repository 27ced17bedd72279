import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@dlm/core';
import { checkpointLayouts, detectCheckpointLayout } from './registry.ts';
import { LLADA_GENERATE_FLAGS, checkBlockKnobs, type GenerateKnobs } from './layout.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = process.env['DLM_CHECKPOINT_FIXTURES_DIR'] ?? resolve(repoRoot, '../shared/fixtures/checkpoints');
const lladaConfig = () =>
  JSON.parse(readFileSync(join(fixturesDir, 'llada', 'config.json'), 'utf8')) as Record<string, unknown>;

function folder(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlm-layout-'));
  if (config !== undefined) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

function configError(f: () => unknown, ...parts: RegExp[]): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    for (const p of parts) expect((e as Error).message).toMatch(p);
    return;
  }
  throw new Error('expected a ConfigError');
}

const knobs = (k: Partial<GenerateKnobs> = {}): GenerateKnobs => ({
  genLength: 16,
  steps: 16,
  blockLength: 16,
  temperature: 0,
  remasking: 'low_confidence',
  cfgScale: 0,
  topK: 0,
  topP: 1,
  ...k,
});

describe('checkpoint layouts', () => {
  it('lists llada, gpt2, mdlm and sedd; reads its header from config.json (no weights)', () => {
    expect(checkpointLayouts.names()).toEqual(['llada', 'gpt2', 'mdlm', 'sedd']);
    const { layout, header } = detectCheckpointLayout(folder(lladaConfig()));
    expect(layout.name).toBe('llada');
    expect(layout.generation?.flags).toEqual(LLADA_GENERATE_FLAGS);
    expect(header).toMatchObject({ vocabSize: 64, maxLength: 64, maskId: 62, eosId: 61, padId: 61 });
  });

  it('no config.json / unknown or absent model_type: named errors listing the supported layouts', () => {
    const list = /supported layout: llada, gpt2, mdlm, sedd/;
    configError(() => detectCheckpointLayout(folder()), /has no config\.json/, list);
    const bert = folder({ model_type: 'bert' });
    configError(() => detectCheckpointLayout(bert), /model_type/, /"bert"/, list);
    configError(() => detectCheckpointLayout(folder({ hidden: 3 })), /got no model_type/, list);
  });

  it('a LLaDA vocabulary without a mask id cannot generate', () => {
    const { mask_token_id: _, ...cfg } = lladaConfig();
    configError(() => detectCheckpointLayout(folder(cfg)), /mask_token_id is missing/);
    configError(() => detectCheckpointLayout(folder({ ...cfg, mask_token_id: 64 })), /mask_token_id.*< 64/);
  });

  it('block knobs: divisibility, remasking names, ranges', () => {
    const names = ['low_confidence', 'random'];
    expect(() => checkBlockKnobs('op', knobs({ genLength: 24, blockLength: 8, steps: 12 }), names)).not.toThrow();
    const check = (k: Partial<GenerateKnobs>) => () => checkBlockKnobs('op', knobs(k), names);
    configError(check({ blockLength: 5 }), /--block-length/, /divisor of --gen-length 16/);
    configError(check({ blockLength: 4, steps: 6 }), /--steps/, /number of blocks.*= 4/);
    configError(check({ remasking: 'lowest' }), /--remasking/, /low_confidence, random/);
    configError(() => checkBlockKnobs('op', knobs({ temperature: -1 }), names), /--temperature/);
    configError(() => checkBlockKnobs('op', knobs({ genLength: 0 }), names), /--gen-length/);
  });
});
