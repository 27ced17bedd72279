// The validation side of a session, shared by `dlm train` (in-loop NELBO, summary.md) and
// `dlm eval`: the fixed validation batches and the unigram baseline of the same tokens.
import { BlockLoader, PairLoader, type PackedPairs } from '@dlm/data';
import { unigramPerplexity } from '@dlm/eval';
import type { TokenBatch } from '@dlm/models';
import type { Session } from './session.ts';
import { toTokenBatch } from './train-loop.ts';

/** The fixed validation batches: the first `eval.batches` of the validation split, in order. */
export function validationBatches(s: Session, count = s.config.eval.batches): TokenBatch[] {
  if (s.pairs) {
    // SFT: every held-out pair, with its prompt mask (the bound scores the answers).
    const rows = s.pairs.validation.shape[0];
    const bs = Math.min(s.config.loader.eval_batch_size, rows);
    const opts = { batchSize: bs, shuffle: false, dropLast: false };
    const loader = PairLoader.create(s.pairs.validation, opts, s.rng.split('val-loader'));
    return Array.from({ length: Math.min(count, loader.batchesPerEpoch) }, () => toTokenBatch(loader.next()));
  }
  const blocks = s.data.blocks('validation');
  const bs = Math.min(s.config.loader.eval_batch_size, blocks.rows);
  if (bs === 0) return [];
  const loader = new BlockLoader(blocks, { batchSize: bs, shuffle: false }, s.rng.split('val-loader'));
  return Array.from({ length: Math.min(count, loader.batchesPerEpoch) }, () => toTokenBatch(loader.next()));
}

/**
 * Unigram perplexity of the validation blocks under train-split counts (specials excluded); with
 * `data.pairs`, of the held-out answers under the train answers' counts.
 */
export function unigramBaseline(s: Session): { perplexity: number; natsPerToken: number } {
  const sp = s.data.tokenizer.specials;
  const exclude = [sp.bos, sp.eos, sp.pad, sp.mask].filter((x): x is number => x !== undefined);
  if (s.pairs) {
    const answers = (p: PackedPairs) => {
      const [n, l] = p.shape;
      return Uint8Array.from({ length: n * l }, (_, i) => (i % l >= p.promptLengths[Math.floor(i / l)]! ? 1 : 0));
    };
    const { train: t, validation: v } = s.pairs;
    // EOS ends and pads every answer and the bound scores it, so the baseline predicts it too.
    const noEos = exclude.filter((x) => x !== sp.eos);
    const masks = { trainMask: answers(t), evalMask: answers(v) };
    return unigramPerplexity(t.ids, v.ids, s.vocab.size, { exclude: noEos, ...masks });
  }
  const train = s.data.blocks('train');
  const val = s.data.blocks('validation');
  return unigramPerplexity(train.tokens, val.tokens, s.vocab.size, {
    exclude,
    ...(train.attentionMask ? { trainMask: train.attentionMask } : {}),
    ...(val.attentionMask ? { evalMask: val.attentionMask } : {}),
  });
}
