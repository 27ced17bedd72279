// Exponential moving average of the trainable parameters (MDLM/SEDD `training.ema`, 0.9999):
//   shadow ← decay·shadow + (1 − decay)·param   after every optimizer step.
// Evaluation and sampling run with the shadow weights swapped in (`withShadow`), as the
// reference repos evaluate their EMA models.
import { tf, type HostTensor } from '@dlm/core';

export class Ema {
  private readonly shadow = new Map<string, tf.Variable>();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    readonly decay: number,
  ) {
    for (const [n, p] of params)
      this.shadow.set(
        n,
        tf.tidy(() => tf.variable(p.clone(), false)),
      );
  }

  update(): void {
    const d = this.decay;
    tf.tidy(() => {
      for (const [n, p] of this.params) {
        const s = this.shadow.get(n)!;
        s.assign(tf.add(tf.mul(s, d), tf.mul(p, 1 - d)));
      }
    });
  }

  /** Runs `fn` with the shadow weights in the parameters, then restores the live weights. */
  withShadow<T>(fn: () => T): T {
    const saved = new Map<string, tf.Tensor>();
    for (const [n, p] of this.params) {
      saved.set(n, p.clone());
      p.assign(this.shadow.get(n)!);
    }
    try {
      return fn();
    } finally {
      for (const [n, p] of this.params) {
        const t = saved.get(n)!;
        p.assign(t);
        t.dispose();
      }
    }
  }

  /** Host copies keyed `ema.<name>` for the checkpoint. */
  stateDict(): Map<string, HostTensor> {
    const out = new Map<string, HostTensor>();
    for (const [n, s] of this.shadow)
      out.set(`ema.${n}`, { dtype: 'F32', shape: [...s.shape], data: Float32Array.from(s.dataSync()) });
    return out;
  }

  load(dict: ReadonlyMap<string, HostTensor>): void {
    for (const [n, s] of this.shadow) {
      const t = dict.get(`ema.${n}`);
      if (t) tf.tidy(() => s.assign(tf.tensor(Float32Array.from(t.data as ArrayLike<number>), s.shape, 'float32')));
    }
  }

  dispose(): void {
    for (const s of this.shadow.values()) s.dispose();
    this.shadow.clear();
  }
}
