// Scoring sampled text under an evaluator with an exact likelihood (an AR model), as generative perplexity needs
// it (kuleshov-group/mdlm diffusion.py:Diffusion.compute_generative_perplexity / eval_retokenize @c112c526).
//
// Retokenization: a sample's ids are cut at the sampling model's BOS / EOS / PAD ids into documents; each is
// decoded to text (specials dropped) and encoded with the evaluator's tokenizer. The evaluator sequence is
//   y = [BOS_e] doc_1 [EOS_e] doc_2 [EOS_e] …        (an EOS_e where the sample had a document end)
// so the first text token is scored conditioned on the evaluator's BOS — as in MDLM, whose samples start with
// GPT-2's <|endoftext|> (BOS = EOS) before `batch_decode` and retokenization.
//
// Which positions count (MDLM's weight `first_eos | token != eos`, with the cumulative EOS count taken from
// position 0): every non-EOS token at positions ≥ 1, plus the EOS tokens while the running EOS count (position 0
// included) is 1 — so with BOS_e = EOS_e (GPT-2) no EOS is scored, otherwise the first one is.
//
// Windowing (a sequence longer than the evaluator's maximum length W): windows of W tokens starting every
// S = ⌊W/2⌋ positions; each position j ≥ 1 is scored once, in the first window that holds it but does not start
// at it, so every token after the first window has at least W − S tokens of context. (MDLM instead cuts the
// sequence into independent chunks of 1024 and drops the first token of each; the two agree whenever the
// sequence fits one window, the usual case.) A window that does not start with BOS_e is read by the AR family
// as [BOS_e, window…] (its first token is context only).
//
// Generative perplexity = exp(Σ nats / Σ counted tokens) over all samples (token-weighted, as MDLM); the mean of
// the per-sample perplexities (SEDD's run_train.py aggregation) is reported beside it.
import { ConfigError, type Rng } from '@dlm/core';
import type { Tokenizer } from '@dlm/data';
import type { FamilyModel, TokenBatch } from '@dlm/models';

/** The evaluator's view of one sample: its ids y and the 0/1 weight of each position. */
export interface Retokenized {
  ids: Int32Array;
  weights: Uint8Array;
}

/**
 * Evaluator ids of one sample (see the header).
 * @param ids     the sample [L] in the sampling model's ids
 * @param breaks  the sampling model's BOS / EOS / PAD ids (document ends)
 */
export function retokenize(
  ids: ArrayLike<number>,
  breaks: ReadonlySet<number>,
  model: Tokenizer,
  evaluator: Tokenizer,
  ev: { bos: number; eos: number },
): Retokenized {
  const out: number[] = [ev.bos];
  let doc: number[] = [];
  const flush = (ended: boolean) => {
    const text = model.decode(doc, { specials: 'skip' });
    doc = [];
    if (text.length === 0) return;
    out.push(...evaluator.encode(text));
    if (ended) out.push(ev.eos);
  };
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (breaks.has(v)) flush(true);
    else doc.push(v);
  }
  flush(false);
  const y = Int32Array.from(out);
  const weights = new Uint8Array(y.length);
  let eosCount = 0;
  for (let j = 0; j < y.length; j++) {
    if (y[j] === ev.eos) eosCount++;
    if (j >= 1 && (y[j] !== ev.eos || eosCount === 1)) weights[j] = 1;
  }
  return { ids: y, weights };
}

/** One window of a sequence: positions [start, end) and which of them it scores. */
export interface ScoreWindow {
  sample: number;
  start: number;
  end: number;
  /** [end − start] 1 = scored here. */
  weights: Uint8Array;
}

/** Windows of at most `w` positions with stride ⌊w/2⌋ covering a sequence (see the header). */
export function scoreWindows(sample: number, r: Retokenized, w: number): ScoreWindow[] {
  if (!(Number.isInteger(w) && w >= 2)) {
    throw new ConfigError({ op: 'scoreWindows', arg: 'window', expected: 'an integer ≥ 2', got: String(w) });
  }
  const n = r.ids.length;
  const stride = Math.floor(w / 2);
  const out: ScoreWindow[] = [];
  let scoredTo = 1; // positions < scoredTo are done (position 0 is context only)
  for (let start = 0; scoredTo < n || out.length === 0; start += stride) {
    const end = Math.min(start + w, n);
    const weights = new Uint8Array(end - start);
    for (let j = Math.max(scoredTo, start + 1); j < end; j++) weights[j - start] = r.weights[j]!;
    out.push({ sample, start, end, weights });
    scoredTo = end;
    if (end === n) break;
  }
  return out;
}

export interface SampleScore {
  nats: number;
  /** Positions counted. */
  tokens: number;
}

/**
 * Exact NLL of each retokenized sample under `evaluator` (a family with likelihood 'exact'), windows batched
 * `batchSize` rows at a time (right-padded with `padId`, weight 0).
 */
export function scoreSamples(
  evaluator: Pick<FamilyModel, 'nll'>,
  samples: readonly Retokenized[],
  o: { window: number; batchSize: number; padId: number; rng: Rng },
): SampleScore[] {
  const windows = samples.flatMap((r, i) => scoreWindows(i, r, o.window));
  const scores: SampleScore[] = samples.map(() => ({ nats: 0, tokens: 0 }));
  for (let b = 0; b < windows.length; b += o.batchSize) {
    const group = windows.slice(b, b + o.batchSize);
    const L = Math.max(...group.map((g) => g.end - g.start));
    const ids = new Int32Array(group.length * L).fill(o.padId);
    const att = new Uint8Array(group.length * L);
    group.forEach((g, r) => {
      ids.set(samples[g.sample]!.ids.subarray(g.start, g.end), r * L);
      att.set(g.weights, r * L);
    });
    const shape = [group.length, L];
    const batch: TokenBatch = { ids: { data: ids, shape }, attention: { data: att, shape } };
    // An exact nll draws nothing from its rng; it is passed for the interface.
    const draw = evaluator.nll(batch, o.rng.split(`batch-${b}`));
    group.forEach((g, r) => {
      scores[g.sample]!.nats += draw.nats[r]!;
      scores[g.sample]!.tokens += draw.tokens[r]!;
    });
  }
  return scores;
}
