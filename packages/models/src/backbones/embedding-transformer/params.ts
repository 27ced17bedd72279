// The embedding transformer's parameters under DiffuSeq's state_dict names (Shark-NLP/DiffuSeq
// diffuseq/transformer_model.py:TransformerNetModel @8bfafcb, init_pretrained='no'):
//   word_embedding.weight [V, d]            (lm_head.weight is the SAME tensor: not a second parameter here)
//   lm_head.bias [V]                        (logits_mode 1 only)
//   time_embed.0.{weight [4·t_dim, t_dim], bias}, time_embed.2.{weight [H, 4·t_dim], bias}
//   input_up_proj.0.{weight [H, d], bias}, input_up_proj.2.{weight [H, H], bias}        (d ≠ H)
//   position_embeddings.weight [P, H]; LayerNorm.{weight, bias} [H]
//   input_transformers.layer.i.attention.self.{query,key,value}.{weight [H, H], bias}
//   input_transformers.layer.i.attention.output.{dense.{weight [H, H], bias}, LayerNorm.{weight, bias}}
//   input_transformers.layer.i.intermediate.dense.{weight [I, H], bias}
//   input_transformers.layer.i.output.{dense.{weight [H, I], bias}, LayerNorm.{weight, bias}}
//   output_down_proj.0.{weight [H, H], bias}, output_down_proj.2.{weight [d, H], bias}  (d ≠ H)
// The reference's `position_ids` buffer (an arange) is not stored. Init = what those modules get in torch
// (BertEncoder is built directly, so BertPreTrainedModel._init_weights never runs): nn.Linear weight and
// bias U(±1/√fan_in), nn.Embedding N(0, 1), nn.LayerNorm weight 1 and bias 0.
import { ParamStore, type Rng } from '@dlm/core';
import type { EmbeddingTransformerOptions } from './options.ts';

/** The name prefix of encoder layer i. */
export const bertLayerPrefix = (i: number): string => `input_transformers.layer.${i}`;

/** nn.Linear (weight and bias U(±1/√fan_in)) and nn.LayerNorm (1, 0) parameters of width H, added to `s`. */
export function torchLayerAdders(s: ParamStore, H: number) {
  const lin = (name: string, out: number, inp: number) => {
    const bound = 1 / Math.sqrt(inp);
    s.add(`${name}.weight`, [out, inp], { kind: 'uniform', bound });
    s.add(`${name}.bias`, [out], { kind: 'uniform', bound });
  };
  const norm = (name: string) => {
    s.add(`${name}.weight`, [H], { kind: 'ones' });
    s.add(`${name}.bias`, [H], { kind: 'zeros' });
  };
  return { lin, norm };
}

/**
 * The encoder trunk shared by the denoiser and the control classifier: time_embed.{0,2}, input_up_proj.{0,2} (when
 * `projections`), position_embeddings, LayerNorm and `layers` BERT layers (names above).
 */
export function addEncoderTrunk(
  s: ParamStore,
  o: { embeddingDim: number; timeDim: number; hidden: number; intermediate: number; layers: number },
  positions: number,
  projections: boolean,
): void {
  const { embeddingDim: d, timeDim: T, hidden: H, intermediate: I } = o;
  const { lin, norm } = torchLayerAdders(s, H);
  lin('time_embed.0', 4 * T, T);
  lin('time_embed.2', H, 4 * T);
  if (projections) {
    lin('input_up_proj.0', H, d);
    lin('input_up_proj.2', H, H);
  }
  s.add('position_embeddings.weight', [positions, H], { kind: 'normal', std: 1 });
  norm('LayerNorm');
  for (let i = 0; i < o.layers; i++) {
    const b = bertLayerPrefix(i);
    for (const k of ['query', 'key', 'value']) lin(`${b}.attention.self.${k}`, H, H);
    lin(`${b}.attention.output.dense`, H, H);
    norm(`${b}.attention.output.LayerNorm`);
    lin(`${b}.intermediate.dense`, I, H);
    lin(`${b}.output.dense`, H, I);
    norm(`${b}.output.LayerNorm`);
  }
}

export function createEmbeddingTransformerParams(o: EmbeddingTransformerOptions, rng: Rng): ParamStore {
  const s = new ParamStore(rng);
  const { vocabSize: V, embeddingDim: d, hidden: H } = o;
  const { lin } = torchLayerAdders(s, H);
  s.add('word_embedding.weight', [V, d], { kind: 'normal', std: 1 });
  if (o.logitsMode === 1) s.add('lm_head.bias', [V], { kind: 'uniform', bound: 1 / Math.sqrt(d) });
  addEncoderTrunk(s, o, o.maxPositions, o.projections);
  if (o.projections) {
    lin('output_down_proj.0', H, H);
    lin('output_down_proj.2', d, H);
  }
  return s;
}
