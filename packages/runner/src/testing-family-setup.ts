// A tiny setup of any registered family for runner tests (the family contract, the leak test): its first
// backbone's test config and its own testConfig, a vocabulary of 6 data ids plus the family's specials (the mask
// last, where SEDD absorb needs it), and a skewed corpus of packed blocks a model can learn from in a few steps.
import { Rng } from '@dlm/core';
import type { PackedBlocks } from '@dlm/data';
import { backboneMaxLength, backbones, type FamilyDef, type VocabInfo } from '@dlm/models';
import { loglinear } from '@dlm/schedules';

export const DATA_TOKENS = 6;

export function familyTestSetup(def: FamilyDef) {
  const family = def.testConfig ?? {};
  const backbone = def.backbones[0]!;
  const model = { name: backbone, ...backbones.get(backbone).testConfig };
  const L = backboneMaxLength(model);
  const specials = [...(def.specialsFor?.(family) ?? def.specials)];
  specials.sort((a, b) => Number(a === 'mask') - Number(b === 'mask'));
  const vocab: VocabInfo = { size: DATA_TOKENS + specials.length };
  specials.forEach((s, i) => {
    const id = DATA_TOKENS + i;
    if (s === 'mask') vocab.maskId = id;
    else if (s === 'bos') vocab.bosId = id;
    else if (s === 'eos') vocab.eosId = id;
    else vocab.padId = id;
  });
  const noise = loglinear({ eps: 1e-3 });
  const build = (seed = 1) => def.build({ family, model, noise, vocab, rng: Rng.seeded(seed).split('model') });
  // A skewed corpus (token v with weight ∝ v + 1), so a model can learn something in a few steps.
  const r = Rng.seeded(9);
  const rows = 24;
  const draw = () => Math.min(DATA_TOKENS - 1, Math.floor(Math.sqrt(r.uniform() * DATA_TOKENS ** 2)));
  const tokens = Int32Array.from({ length: rows * L }, draw);
  const stats = { documents: rows, droppedTokens: 0, truncatedDocuments: 0 };
  const blocks: PackedBlocks = { rows, length: L, tokens, stats };
  return { L, vocab, build, blocks };
}
