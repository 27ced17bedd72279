// `dlm eval gen-ppl <model> --evaluator <model>`: N unconditional samples from the model (its family's sampler),
// decoded with its tokenizer, retokenized with the evaluator's and scored by the evaluator's exact NLL
// (gen-ppl-score.ts: BOS conditioning, counted positions, windowing); reported with the per-sample unigram entropy
// (@dlm/eval unigramEntropy over the sample's own ids, specials excluded; mean ± s.e.), distinct-1/2/3 and self-BLEU
// of the texts (@dlm/eval, whitespace words / sacreBLEU 13a), NFE, wall clock and tokens/s.
//
// Precision: every sampler draws its categoricals on the host in float64 (@dlm/core sampleCategorical, the MDLM /
// SEDD / LLaDA samplers' Gumbel and exponential-race draws). Float32 Gumbel sampling lowers the effective
// temperature and so the generative perplexity (arXiv 2409.02908; ReMDM's fp64 fix); there is no float32 path.
import { ConfigError, Rng, stderrLog } from '@dlm/core';
import { distinctN, meanStderr, selfBleu, unigramEntropy } from '@dlm/eval';
import { stepsLabel } from '@dlm/models';
import { CountProgress, writeResultFiles } from './eval-out.ts';
import { scoreSamples, retokenize, type Retokenized } from './gen-ppl-score.ts';
import { openModel, requireTokenizer, type OpenedModel } from './open-model.ts';

export interface GenPplOptions {
  model: string;
  evaluator: string;
  /** Samples (default 16). */
  num?: number | undefined;
  /** Sampler steps (default: a run's sampling.steps, 128 for a folder). */
  steps?: number | undefined;
  /** A sampler of the model's family (default: a run's sampling.predictor, the family's default for a folder). */
  sampler?: string | undefined;
  /** Tokens per sample (default: a run's sampling.length or data.length; a folder's maximum length capped at 1024). */
  length?: number | undefined;
  /** Samples drawn (and evaluator windows scored) per batch (default: num). */
  batch?: number | undefined;
  /** Default: the run's experiment seed, 0 for a folder. */
  seed?: number | undefined;
  out?: string | undefined;
  noEma?: boolean | undefined;
  /** Runs: `--checkpoint <step|dir>`. */
  checkpoint?: string | undefined;
  log?: (line: string) => void;
}

export interface GenPplSample {
  index: number;
  text: string;
  ids: number[];
  evaluatorTokens: number;
  nats: number;
  perplexity: number;
  entropy: number;
}

export interface GenPplResult {
  verb: 'gen-ppl';
  model: { path: string; label: string; family: string };
  evaluator: { path: string; label: string; family: string; maxLength: number };
  sampler: string;
  steps: number;
  /** "128 steps", or "one call per token" (AR). */
  stepsLabel: string;
  length: number;
  num: number;
  batch: number;
  seed: number;
  /** Categorical draws: always float64 (see the header). */
  samplingPrecision: 'float64';
  /** exp(Σ nats / Σ counted tokens) over all samples. */
  genPerplexity: number;
  natsPerToken: number;
  /** Evaluator positions counted over all samples. */
  tokensScored: number;
  /** Mean over samples of exp(nats_i / tokens_i) (SEDD's aggregation), samples with counted tokens only. */
  meanSamplePerplexity: number;
  /** Unigram entropy (nats) of each sample's ids: mean ± s.e. over samples. */
  entropy: { mean: number; stderr: number };
  distinct: { 1: number; 2: number; 3: number };
  /** sacreBLEU-scale self-BLEU (null for fewer than 2 samples). */
  selfBleu: number | null;
  /** Network calls of the sampler, summed over the batches. */
  nfe: number;
  tokensPerSec: number;
  seconds: { sampling: number; scoring: number; total: number };
  window: { size: number; stride: number };
  out: string;
}

const OP = 'dlm eval gen-ppl';
const FOLDER_LENGTH_CAP = 1024;
const FOLDER_STEPS = 128;

function positiveInt(arg: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
    throw new ConfigError({ op: OP, arg, expected: 'a positive integer', got: String(v) });
  }
}

/** The evaluator must have a tokenizer and an exact likelihood (an AR run or a gpt2-layout folder). */
function checkEvaluator(e: OpenedModel): { bos: number; eos: number } {
  requireTokenizer(e, OP, 'retokenize the samples (--evaluator)');
  if (e.family.likelihood !== 'exact') {
    throw new ConfigError(
      {
        op: OP,
        arg: `--evaluator ${e.path}`,
        expected: 'a model with an exact likelihood (an AR run or a gpt2-layout folder)',
        got: `family ${e.family.name}`,
      },
      'cannot score text exactly',
    );
  }
  const bos = e.vocab.bosId;
  const eos = e.vocab.eosId ?? bos;
  if (bos === undefined || eos === undefined) {
    const expected = 'an evaluator vocabulary with a BOS id (the context of the first token)';
    throw new ConfigError({ op: OP, arg: `--evaluator ${e.path}`, expected }, 'has none');
  }
  return { bos, eos };
}

export async function runGenPpl(o: GenPplOptions): Promise<GenPplResult> {
  const log = o.log ?? stderrLog;
  for (const [arg, v] of [
    ['--num', o.num],
    ['--steps', o.steps],
    ['--length', o.length],
    ['--batch', o.batch],
  ] as const)
    positiveInt(arg, v);
  const m = await openModel(o.model, { op: OP, seed: o.seed, noEma: o.noEma, checkpoint: o.checkpoint, log });
  let e: OpenedModel | undefined;
  try {
    e = await openModel(o.evaluator, { op: `${OP} --evaluator`, log });
    const ev = checkEvaluator(e);
    const evTok = e.tokenizer!;
    const tok = requireTokenizer(m, OP, 'decode the samples to text');
    if (!m.family.capabilities.unconditionalSampling) {
      const expected = 'a family that samples unconditionally (MDLM, SEDD, AR, Diffusion-LM, LLaDA…)';
      throw new ConfigError({ op: OP, arg: o.model, expected, got: `family ${m.family.name}` }, 'cannot');
    }
    const s = m.session;
    const sampler = o.sampler ?? (s ? s.config.sampling.predictor : m.family.defaultSampler);
    if (!m.family.samplers.has(sampler)) {
      const expected = `a sampler of ${m.family.name} (${m.family.samplers.names().join(', ')})`;
      throw new ConfigError({ op: OP, arg: `--sampler ${sampler}`, expected }, 'is not one');
    }
    const steps = o.steps ?? (s ? s.config.sampling.steps : FOLDER_STEPS);
    const length = o.length ?? (s ? (s.config.sampling.length ?? s.length) : Math.min(m.maxLength, FOLDER_LENGTH_CAP));
    if (length > m.maxLength && !m.family.capabilities.longerThanModel) {
      const expected = `at most the model's maximum length ${m.maxLength}`;
      throw new ConfigError({ op: OP, arg: '--length', expected, got: String(length) });
    }
    const num = o.num ?? 16;
    const batch = o.batch ?? num;
    const seed = o.seed ?? (s ? s.config.seed : 0);
    const out = o.out ?? m.defaultOutDir('gen-ppl');

    // Sampling.
    const rng = Rng.seeded(seed).split('gen-ppl');
    const ids: Int32Array[] = [];
    let nfe = 0;
    let sampling = 0;
    const progress = new CountProgress('gen-ppl sampling', num);
    for (let b = 0; ids.length < num; b++) {
      const n = Math.min(batch, num - ids.length);
      const t0 = performance.now();
      const r = m.model.sample({ num: n, length, steps, sampler, rng: rng.split(`batch-${b}`) });
      sampling += (performance.now() - t0) / 1000;
      nfe += r.nfe;
      const L = r.ids.shape[1]!;
      for (let i = 0; i < n; i++) ids.push(r.ids.data.slice(i * L, (i + 1) * L));
      progress.update(ids.length, ids.length);
    }

    // Scoring under the evaluator.
    const v = m.vocab;
    const breaks = new Set([v.bosId, v.eosId, v.padId].filter((x): x is number => x !== undefined));
    const specials = [...breaks, ...(v.maskId !== undefined ? [v.maskId] : [])];
    const t1 = performance.now();
    const retok: Retokenized[] = ids.map((x) => retokenize(x, breaks, tok, evTok, ev));
    const window = e.maxLength;
    const scores = scoreSamples(e.model, retok, {
      window,
      batchSize: batch,
      padId: ev.eos,
      rng: Rng.seeded(seed).split('gen-ppl-score'),
    });
    const scoring = (performance.now() - t1) / 1000;

    const texts = ids.map((x) => tok.decode(x, { specials: 'skip' }));
    const samples: GenPplSample[] = ids.map((x, i) => ({
      index: i,
      text: texts[i]!,
      ids: [...x],
      evaluatorTokens: scores[i]!.tokens,
      nats: scores[i]!.nats,
      perplexity: scores[i]!.tokens > 0 ? Math.exp(scores[i]!.nats / scores[i]!.tokens) : NaN,
      entropy: unigramEntropy(x, specials),
    }));
    const nats = scores.reduce((a, c) => a + c.nats, 0);
    const tokensScored = scores.reduce((a, c) => a + c.tokens, 0);
    if (tokensScored === 0) {
      const expected = 'samples with text (every sample decoded to nothing the evaluator could score)';
      throw new ConfigError({ op: OP, arg: o.model, expected }, 'gave no scorable token');
    }
    const scored = samples.filter((x) => x.evaluatorTokens > 0);
    const ent = meanStderr(samples.map((x) => x.entropy).filter((h) => !Number.isNaN(h)));
    const result: GenPplResult = {
      verb: 'gen-ppl',
      model: { path: m.path, label: m.label, family: m.family.name },
      evaluator: { path: e.path, label: e.label, family: e.family.name, maxLength: e.maxLength },
      sampler,
      steps,
      stepsLabel: stepsLabel(m.family, steps),
      length,
      num,
      batch,
      seed,
      samplingPrecision: 'float64',
      genPerplexity: Math.exp(nats / tokensScored),
      natsPerToken: nats / tokensScored,
      tokensScored,
      meanSamplePerplexity: scored.reduce((a, x) => a + x.perplexity, 0) / scored.length,
      entropy: { mean: ent.mean, stderr: ent.stderr },
      distinct: { 1: distinctN(texts, 1).distinct, 2: distinctN(texts, 2).distinct, 3: distinctN(texts, 3).distinct },
      selfBleu: texts.length >= 2 ? selfBleu(texts).score : null,
      nfe,
      tokensPerSec: (num * length) / sampling,
      seconds: { sampling, scoring, total: sampling + scoring },
      window: { size: window, stride: Math.floor(window / 2) },
      out,
    };
    writeResultFiles(out, {
      'samples.jsonl': samples.map((x) => JSON.stringify(x)).join('\n') + '\n',
      'results.json': `${JSON.stringify(result, null, 2)}\n`,
      'results.md': genPplMarkdown(result),
    });
    return result;
  } finally {
    e?.dispose();
    m.dispose();
  }
}

/** The terminal report (what `dlm eval gen-ppl` prints without --json). */
export function formatGenPpl(r: GenPplResult): string {
  const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
  return [
    `model             ${r.model.label}`,
    `samples           ${r.num} × ${r.length} tokens, sampler ${r.sampler}, ${r.stepsLabel}, seed ${r.seed} (float64 categoricals)`,
    `evaluator         ${r.evaluator.label} (window ${r.window.size}, stride ${r.window.stride})`,
    `gen. perplexity   ${f(r.genPerplexity, 3)}   (${f(r.natsPerToken, 4)} nats/token over ${r.tokensScored} evaluator tokens; mean per-sample ${f(r.meanSamplePerplexity, 3)})`,
    `unigram entropy   ${f(r.entropy.mean, 4)} ± ${f(r.entropy.stderr, 4)} nats per sample`,
    `distinct-1/2/3    ${f(r.distinct[1], 4)} / ${f(r.distinct[2], 4)} / ${f(r.distinct[3], 4)}   self-BLEU ${r.selfBleu === null ? '—' : f(r.selfBleu, 2)}`,
    `speed             NFE ${r.nfe}, sampling ${f(r.seconds.sampling, 2)} s (${f(r.tokensPerSec, 1)} tokens/s), scoring ${f(r.seconds.scoring, 2)} s`,
    `results           ${r.out}`,
  ].join('\n');
}

function genPplMarkdown(r: GenPplResult): string {
  return [
    '# dlm eval gen-ppl',
    '',
    `Model: ${r.model.label}; ${r.num} samples of ${r.length} tokens (sampler ${r.sampler}, ${r.stepsLabel}, seed ${r.seed}, float64 categoricals). Evaluator: ${r.evaluator.label}.`,
    '',
    '| gen. ppl | nats/token | evaluator tokens | mean per-sample ppl | entropy | distinct-1 | distinct-2 | distinct-3 | self-BLEU | NFE | tokens/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${r.genPerplexity.toFixed(3)} | ${r.natsPerToken.toFixed(4)} | ${r.tokensScored} | ${r.meanSamplePerplexity.toFixed(3)} | ${r.entropy.mean.toFixed(4)} ± ${r.entropy.stderr.toFixed(4)} | ${r.distinct[1].toFixed(4)} | ${r.distinct[2].toFixed(4)} | ${r.distinct[3].toFixed(4)} | ${r.selfBleu === null ? '—' : r.selfBleu.toFixed(2)} | ${r.nfe} | ${r.tokensPerSec.toFixed(1)} |`,
    '',
    `Samples are retokenized with the evaluator's tokenizer; the first token is scored after the evaluator's BOS; windows of ${r.window.size} with stride ${r.window.stride}; token-weighted aggregation (samples.jsonl holds every sample).`,
    '',
  ].join('\n');
}
