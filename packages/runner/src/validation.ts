// The validation side of a session, shared by `dlm train` (in-loop NELBO, summary.md) and
// `dlm eval`: the fixed validation batches and the unigram baseline of the same tokens.
import { BlockLoader } from '@dlm/data';
import { unigramPerplexity } from '@dlm/eval';
import type { TokenBatch } from '@dlm/models';
import type { Session } from './session.ts';
import { toTokenBatch } from './train-loop.ts';

/** The fixed validation batches: the first `eval.batches` of the validation split, in order. */
export function validationBatches(s: Session, count = s.config.eval.batches): TokenBatch[] {
  const blocks = s.data.blocks('validation');
  const bs = Math.min(s.config.loader.eval_batch_size, blocks.rows);
  if (bs === 0) return [];
  const loader = new BlockLoader(blocks, { batchSize: bs, shuffle: false }, s.rng.split('val-loader'));
  return Array.from({ length: Math.min(count, loader.batchesPerEpoch) }, () => toTokenBatch(loader.next()));
}

/** Unigram perplexity of the validation blocks under train-split counts (specials excluded). */
export function unigramBaseline(s: Session): { perplexity: number; natsPerToken: number } {
  const train = s.data.blocks('train');
  const val = s.data.blocks('validation');
  const sp = s.data.tokenizer.specials;
  const exclude = [sp.bos, sp.eos, sp.pad, sp.mask].filter((x): x is number => x !== undefined);
  return unigramPerplexity(train.tokens, val.tokens, s.vocab.size, {
    exclude,
    ...(train.attentionMask ? { trainMask: train.attentionMask } : {}),
    ...(val.attentionMask ? { evalMask: val.attentionMask } : {}),
  });
}
