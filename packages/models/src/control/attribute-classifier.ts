// The attribute classifier of gradient-based control: noisy word embeddings x_t [B, L, d] and the timestep the
// model sees [B] (t·1000/T, as the denoiser) → logits over the attribute's labels [B, C]. The embedding
// transformer's encoder (bert-layer.ts), mean-pooled:
//   emb_t  = time_embed.2(SiLU(time_embed.0(timestep_embedding(t, hidden_t_dim))))     [B, H]
//   h      = LayerNorm(input_up_proj.2(tanh(input_up_proj.0(x_t))) + position_embeddings[0:L] + emb_t)  [B, L, H]
//   h      = BertLayer × num_hidden_layers                                             [B, L, H]
//   logits = classifier(mean_L h)                                                      [B, C]
//   nll    = −log softmax(logits)[c]                                                   [B]
// Diffusion-LM's classifiers (custom_trainer.py:Classifier_GPT2 @1b8b3db) up-project x_t the same way (Linear,
// tanh, Linear) but prepend a learned time embedding as an extra position; here the time embedding is added to
// every position as in the denoiser. Parameters: nn.Linear U(±1/√fan_in), embeddings N(0, 1), LayerNorm 1 / 0.
import { ParamStore, ShapeError, layerNorm, linear, silu, tf, timestepFeatures, type Rng } from '@dlm/core';
import { bertLayer } from '../backbones/embedding-transformer/bert-layer.ts';
import { addEncoderTrunk, torchLayerAdders } from '../backbones/embedding-transformer/params.ts';
import type { AttributeClassifierOptions } from './schema.ts';

const OP = 'AttributeClassifier';

function createParams(o: AttributeClassifierOptions, rng: Rng): ParamStore {
  const s = new ParamStore(rng);
  addEncoderTrunk(s, o, o.maxLength, true);
  torchLayerAdders(s, o.hidden).lin('classifier', o.classes, o.hidden);
  return s;
}

export class AttributeClassifier {
  readonly params: ParamStore;

  constructor(
    readonly options: AttributeClassifierOptions,
    rng: Rng,
  ) {
    this.params = createParams(options, rng);
  }

  /**
   * @param x      x_t float32 [B, L, d], L ≤ maxLength
   * @param modelT float32 [B]: the timestep the model sees (t·1000/T)
   * @returns      logits [B, C]
   */
  logits(x: tf.Tensor, modelT: tf.Tensor): tf.Tensor2D {
    const o = this.options;
    const p = this.params;
    const [B, L, d] = x.shape as [number, number, number];
    if (x.rank !== 3 || d !== o.embeddingDim || L > o.maxLength)
      throw new ShapeError({
        op: `${OP}.logits`,
        arg: 'x',
        expected: `[B, L ≤ ${o.maxLength}, ${o.embeddingDim}]`,
        got: `[${x.shape}]`,
      });
    if (modelT.rank !== 1 || modelT.shape[0] !== B)
      throw new ShapeError({ op: `${OP}.logits`, arg: 'modelT', expected: `[${B}]`, got: `[${modelT.shape}]` });
    const lin = (name: string, v: tf.Tensor) => linear(v, p.get(`${name}.weight`), p.get(`${name}.bias`));
    return tf.tidy(() => {
      const f = timestepFeatures(modelT, o.timeDim); // [B, t_dim]
      const embT = lin('time_embed.2', silu(lin('time_embed.0', f))); // [B, H]
      const embX = lin('input_up_proj.2', tf.tanh(lin('input_up_proj.0', x))); // [B, L, H]
      const pos = tf.slice(p.get('position_embeddings.weight'), [0, 0], [L, o.hidden]); // [L, H]
      let h = tf.add(tf.add(embX, pos), tf.expandDims(embT, 1)); // [B, L, H]
      h = layerNorm(h, { weight: p.get('LayerNorm.weight'), bias: p.get('LayerNorm.bias'), eps: o.layerNormEps });
      for (let i = 0; i < o.layers; i++) h = bertLayer(p, i, o, h);
      return lin('classifier', tf.mean(h, 1)) as tf.Tensor2D; // [B, C]
    });
  }

  /** −log p(label | x, t) per row [B]; `labels` are B host integers in [0, C). */
  nll(x: tf.Tensor, modelT: tf.Tensor, labels: ArrayLike<number>): tf.Tensor1D {
    const B = x.shape[0]!;
    const C = this.options.classes;
    if (labels.length !== B || Array.from(labels).some((c) => !(Number.isInteger(c) && c >= 0 && c < C)))
      throw new ShapeError({
        op: `${OP}.nll`,
        arg: 'labels',
        expected: `${B} integers in [0, ${C})`,
        got: `${labels.length} labels`,
      });
    return tf.tidy(() => {
      const logp = tf.logSoftmax(this.logits(x, modelT)); // [B, C]
      const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), C); // [B, C]
      return tf.neg(tf.sum(tf.mul(logp, onehot), 1)) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}
