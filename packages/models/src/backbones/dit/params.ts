// The DiT's parameters under EXACTLY the reference state_dict names (fixtures/checkpoints/README.md §2):
//   vocab_embed.embedding [V, D]; sigma_map.mlp.{0,2}.{weight,bias}; rotary_emb.inv_freq (buffer);
//   blocks.i.{norm1,norm2}.weight, attn_qkv.weight [3D, D], attn_out.weight [D, D],
//   mlp.0.{weight [4D, D], bias}, mlp.2.{weight [D, 4D], bias}, adaLN_modulation.{weight [6D, C], bias};
//   output_layer.{norm_final.weight, linear.{weight [V, D], bias}, adaLN_modulation.{weight [2D, C], bias}}.
// Options add or drop names: learned positions add `pos_embed.embedding` [maxLength, D] (ours, not in
// the reference), normAffine=false drops the norm weights, finalAdaLN=false drops the final adaLN.
import { ConfigError, ParamStore, brief, rotaryInvFreq, type Init, type Rng } from '@dlm/core';
import type { DitOptions } from './options.ts';

/**
 * 'reference': SEDD/MDLM's own init (DDiT.__init__): torch Linear defaults U(±1/√fan_in),
 *   embedding kaiming_uniform(a=√5) = U(±1/√D), norm weights 1, and ZERO adaLN modulations and
 *   final linear (so a fresh model is the identity per block and outputs zeros).
 * 'random': every parameter random (norm weights 1 + 0.3·N, biases 0.2·N, tables 0.5·N, matrices
 *   N·min(0.5, 1.5/√fan_in) — the fixture recipe) so that every path influences the output (tests).
 */
export type DitInit = 'reference' | 'random';

export type InitKind = 'matrix' | 'bias' | 'table' | 'norm' | 'zero-matrix' | 'zero-bias';

/** The init of one parameter kind under `init` (shared with the causal DiT). */
export function initFor(kind: InitKind, fanIn: number, init: DitInit): Init {
  if (init === 'random') {
    switch (kind) {
      case 'norm':
        return { kind: 'normal', mean: 1, std: 0.3 };
      case 'bias':
      case 'zero-bias':
        return { kind: 'normal', std: 0.2 };
      case 'table':
        return { kind: 'normal', std: 0.5 };
      case 'matrix':
      case 'zero-matrix':
        return { kind: 'normal', std: Math.min(0.5, 1.5 / Math.sqrt(fanIn)) };
    }
  }
  switch (kind) {
    case 'norm':
      return { kind: 'ones' };
    case 'zero-matrix':
    case 'zero-bias':
      return { kind: 'zeros' };
    case 'table':
      return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
    case 'matrix':
    case 'bias':
      return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
  }
}

/**
 * A ParamStore with the DiT's two adders: `add(name, shape, kind, fanIn)` and `lin(name, out, in, bias, zero)`
 * (a torch Linear: weight [out, in] and bias [out], zero-initialised for DDitFinalLayer). Shared with the
 * causal DiT, whose parameters are the DiT's without σ conditioning.
 */
export function ditParamBuilder(op: string, rng: Rng, init: DitInit) {
  if (init !== 'reference' && init !== 'random')
    throw new ConfigError({ op, arg: 'init', expected: "'reference' or 'random'", got: brief(init) });
  const s = new ParamStore(rng);
  const add = (name: string, shape: number[], kind: InitKind, fanIn: number) =>
    s.add(name, shape, initFor(kind, fanIn, init));
  const lin = (name: string, out: number, inp: number, bias: boolean, zero = false) => {
    add(`${name}.weight`, [out, inp], zero ? 'zero-matrix' : 'matrix', inp);
    if (bias) add(`${name}.bias`, [out], zero ? 'zero-bias' : 'bias', inp);
  };
  return { s, add, lin };
}

/** Creates every parameter (and the rotary buffer) of a DiT with options `o`. */
export function createDitParams(o: DitOptions, rng: Rng, init: DitInit = 'reference'): ParamStore {
  const { s, add, lin } = ditParamBuilder('createDitParams', rng, init);
  const { hidden: D, condDim: C, vocabSize: V, timeFeatures: T } = o;
  const F = o.mlpRatio * D;
  const norm = (name: string) => {
    if (o.normAffine) add(`${name}.weight`, [D], 'norm', D);
  };

  add('vocab_embed.embedding', [V, D], 'table', D);
  if (o.positions === 'learned')
    s.add(
      'pos_embed.embedding',
      [o.maxLength, D],
      init === 'random' ? { kind: 'normal', std: 0.5 } : { kind: 'normal', std: 0.02 },
    );
  lin('sigma_map.mlp.0', C, T, true);
  lin('sigma_map.mlp.2', C, C, true);
  if (o.positions === 'rotary') {
    // A persistent buffer in the reference state_dict; the forward uses the stored value.
    s.add(
      'rotary_emb.inv_freq',
      [D / o.heads / 2],
      { kind: 'values', data: rotaryInvFreq(D / o.heads, o.rotaryBase) },
      { trainable: false },
    );
  }
  for (let i = 0; i < o.blocks; i++) {
    const b = `blocks.${i}`;
    norm(`${b}.norm1`);
    lin(`${b}.attn_qkv`, 3 * D, D, false);
    lin(`${b}.attn_out`, D, D, false);
    norm(`${b}.norm2`);
    lin(`${b}.mlp.0`, F, D, true);
    lin(`${b}.mlp.2`, D, F, true);
    lin(`${b}.adaLN_modulation`, 6 * D, C, true, true);
  }
  norm('output_layer.norm_final');
  lin('output_layer.linear', V, D, true, true);
  if (o.finalAdaLN) lin('output_layer.adaLN_modulation', 2 * D, C, true, true);
  return s;
}
