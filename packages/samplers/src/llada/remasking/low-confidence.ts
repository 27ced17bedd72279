// `low_confidence` remasking: confidence = softmax(logits)[x0] (float64), so the positions
// the model is surest about are committed first and the rest stay masked.
// ML-GSAI/LLaDA:generate.py:generate (remasking == 'low_confidence').
import type { ConfidenceArgs, Remasking } from './types.ts';

export const lowConfidence: Remasking = {
  name: 'low_confidence',
  confidence({ logits, x0, rows, length, vocabSize }: ConfidenceArgs): Float64Array {
    const out = new Float64Array(rows * length);
    for (let p = 0; p < rows * length; p++) {
      const o = p * vocabSize;
      let m = -Infinity;
      for (let v = 0; v < vocabSize; v++) if (logits[o + v]! > m) m = logits[o + v]!;
      let s = 0;
      for (let v = 0; v < vocabSize; v++) s += Math.exp(logits[o + v]! - m);
      out[p] = Math.exp(logits[o + x0[p]!]! - m) / s;
    }
    return out;
  },
};
