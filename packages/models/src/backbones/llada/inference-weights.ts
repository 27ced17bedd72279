// The LLaDA weights as generation uses them: every projection matrix [out, in] transposed once to [in, out], so a
// forward computes x·Wᵀ as a plain matmul. tfjs-wasm's MatMul with transposeB re-lays the weight out at every call,
// a cost that does not shrink with the number of positions (measured: 32 positions × a 256→768 projection take
// 4.5 ms with transposeB, 0.9 ms pre-transposed): it dominates the short cached calls of Fast-dLLM. The same
// products either way; the copies live until dispose(). Training keeps `linear` on the parameters themselves.
import { ShapeError, linear, tf, type ParamStore } from '@dlm/core';

/** x [..., in] × the weight `name` [out, in] → [..., out]. */
export type Projection = (x: tf.Tensor, name: string) => tf.Tensor;

/** The training path: `linear` on the parameter itself. */
export function paramProjection(p: ParamStore): Projection {
  return (x, name) => linear(x, p.get(name));
}

export class LladaInferenceWeights {
  private readonly transposed = new Map<string, tf.Tensor2D>();

  /** Transposed copies of every 2-D parameter except the embedding table (gathered, not multiplied). */
  constructor(p: ParamStore) {
    for (const name of p.names()) {
      const w = p.get(name);
      if (w.rank === 2 && !name.endsWith('.wte.weight'))
        this.transposed.set(name, tf.keep(tf.transpose(w) as tf.Tensor2D));
    }
  }

  readonly project: Projection = (x, name) => {
    const wt = this.transposed.get(name);
    if (!wt) throw new ShapeError({ op: 'LladaInferenceWeights', arg: name, expected: 'a 2-D projection weight' });
    const [inF, outF] = wt.shape;
    if (x.shape[x.rank - 1] !== inF) {
      throw new ShapeError({ op: 'LladaInferenceWeights', arg: 'x', expected: `[..., ${inF}]`, got: `[${x.shape}]` });
    }
    return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(x, [-1, inF]), wt), [...x.shape.slice(0, -1), outF]));
  };

  dispose(): void {
    for (const t of this.transposed.values()) t.dispose();
    this.transposed.clear();
  }
}
