// The causal DiT's parameters under the reference state_dict names of MDLM's AR baseline
// (kuleshov-group/mdlm models/autoregressive.py: DDIT with causal blocks), a subset of the DiT's names:
//   vocab_embed.embedding [V, D]; rotary_emb.inv_freq (buffer);
//   blocks.i.{norm1,norm2}.weight, attn_qkv.weight [3D, D], attn_out.weight [D, D],
//   mlp.0.{weight [4D, D], bias}, mlp.2.{weight [D, 4D], bias};
//   output_layer.norm_final.weight, output_layer.linear.{weight [V, D], bias}.
// No sigma_map and no adaLN_modulation: the AR model has no time conditioning.
import { rotaryInvFreq, type ParamStore, type Rng } from '@dlm/core';
import { ditParamBuilder, type DitInit } from '../dit/params.ts';
import type { CausalDitOptions } from './options.ts';

/**
 * Creates every parameter (and the rotary buffer). 'reference' = the AR baseline's own init (torch
 * Linear defaults, embedding U(±1/√D), norm weights 1, ZERO output_layer.linear as DDitFinalLayer);
 * 'random' = the fixture recipe, so that every path influences the output (tests).
 */
export function createCausalDitParams(o: CausalDitOptions, rng: Rng, init: DitInit = 'reference'): ParamStore {
  const { s, add, lin } = ditParamBuilder('createCausalDitParams', rng, init);
  const { hidden: D, vocabSize: V } = o;
  const F = o.mlpRatio * D;
  add('vocab_embed.embedding', [V, D], 'table', D);
  // A persistent buffer in the reference state_dict; the forward uses the stored value.
  s.add(
    'rotary_emb.inv_freq',
    [D / o.heads / 2],
    { kind: 'values', data: rotaryInvFreq(D / o.heads, o.rotaryBase) },
    { trainable: false },
  );
  for (let i = 0; i < o.blocks; i++) {
    const b = `blocks.${i}`;
    add(`${b}.norm1.weight`, [D], 'norm', D);
    lin(`${b}.attn_qkv`, 3 * D, D, false);
    lin(`${b}.attn_out`, D, D, false);
    add(`${b}.norm2.weight`, [D], 'norm', D);
    lin(`${b}.mlp.0`, F, D, true);
    lin(`${b}.mlp.2`, D, F, true);
  }
  add('output_layer.norm_final.weight', [D], 'norm', D);
  lin('output_layer.linear', V, D, true, true);
  return s;
}
