// `dlm eval <run>`: the validation NELBO of the run's EMA weights as perplexity (an upper
// bound) and bits per token, with the number of Monte-Carlo time samples and a standard error,
// next to the unigram perplexity of the same tokens (the baseline to beat). A family whose `nll`
// is exact (AR: teacher forcing) is reported as an NLL with perplexity "=", from one pass (its
// draws do not vary, so more time samples would only repeat it). The report goes to `--out` (default
// `<run>/evals/default`): results.json (the report), results.md (the text report), and for DiffuSeq the decoded
// hypotheses, references and sources beside them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, stderrLog } from '@dlm/core';
import { likelihoodWords } from '@dlm/models';
import { estimateNll, estimateTerms, type NllEstimate, type TermsEstimate } from '@dlm/eval';
import { openSession, resolvedYamlOf } from './session.ts';
import { isRunDir } from './open-model.ts';
import { unigramBaseline, validationBatches } from './validation.ts';
import { loadRunWeights } from './weights.ts';
import { writeResultFiles } from './eval-out.ts';
import { formatSeq2seqEval, seq2seqEval, type Seq2seqEval } from './seq2seq-eval.ts';

export interface EvalReport extends NllEstimate {
  split: 'validation';
  family: string;
  /** 'exact': the NLL itself (teacher forcing); 'bound': a NELBO (Monte-Carlo over time); 'none': a loss. */
  likelihood: 'bound' | 'exact' | 'none';
  checkpointStep: number;
  ema: boolean;
  unigramPerplexity: number;
  unigramNatsPerToken: number;
  /** Families with evalTerms (Diffusion-LM): each named term, mean ± s.e. over the sequences. */
  terms?: TermsEstimate | undefined;
  /** Families whose default evaluation decodes held-out sources (DiffuSeq). */
  seq2seq?: Seq2seqEval | undefined;
  /** Where results.json and results.md were written. */
  out: string;
}

export interface EvalCommandOptions {
  runDir: string;
  timeSamples?: number;
  batches?: number;
  noEma?: boolean;
  /** Seq2seq evaluation: decode only the first n held-out sources. */
  limit?: number | undefined;
  /** Seq2seq evaluation: candidates per source for MBR (default family.mbr_candidates). */
  mbrCandidates?: number | undefined;
  /** `--checkpoint <step|dir>`; default the latest good one. */
  checkpoint?: string;
  /** Output directory (default `<run>/evals/default`). */
  out?: string | undefined;
  log?: (line: string) => void;
}

export async function runEval(o: EvalCommandOptions): Promise<EvalReport> {
  const log = o.log ?? stderrLog;
  if (!isRunDir(o.runDir) && existsSync(join(o.runDir, 'config.json'))) {
    // A checkpoint folder has no validation split of its own: the verbs that take one name it.
    const expected = `a run directory; for a checkpoint folder name the data: dlm eval likelihood ${o.runDir} --data <dataset|files>, or dlm eval mc / gen-ppl / generate`;
    throw new ConfigError({ op: 'dlm eval', arg: o.runDir, expected }, 'is a checkpoint folder');
  }
  const s = await openSession({ file: resolvedYamlOf(o.runDir), log });
  const model = s.build();
  try {
    const loaded = loadRunWeights(model, o.runDir, { ema: !o.noEma, checkpoint: o.checkpoint, warn: log });
    const out = o.out ?? join(o.runDir, 'evals', 'default');
    const batches = validationBatches(s, o.batches ?? s.config.eval.batches);
    const likelihood = s.family.likelihood ?? 'bound';
    const draws = likelihood === 'exact' ? 1 : (o.timeSamples ?? s.config.eval.time_samples);
    const est = estimateNll(model, batches, s.rng.split('eval-command'), draws);
    const terms = model.evalTerms
      ? estimateTerms(model, batches, s.rng.split('eval-terms'), o.timeSamples ?? s.config.eval.time_samples)
      : undefined;
    const seq2seq =
      s.family.evaluation === 'seq2seq'
        ? seq2seqEval(s, model, out, {
            candidates: o.mbrCandidates ?? Number((s.config.family as Record<string, unknown>)['mbr_candidates'] ?? 1),
            limit: o.limit,
            log,
          })
        : undefined;
    const uni = unigramBaseline(s);
    const report: EvalReport = {
      split: 'validation',
      family: s.family.name,
      likelihood,
      checkpointStep: loaded.step,
      ema: loaded.ema,
      ...est,
      unigramPerplexity: uni.perplexity,
      unigramNatsPerToken: uni.natsPerToken,
      ...(terms ? { terms } : {}),
      ...(seq2seq ? { seq2seq } : {}),
      out,
    };
    writeResultFiles(out, {
      'results.json': `${JSON.stringify(report, null, 2)}\n`,
      'results.md': `# dlm eval ${o.runDir}\n\n\`\`\`\n${formatEval(report)}\n\`\`\`\n`,
    });
    return report;
  } finally {
    model.dispose();
  }
}

/** 4 decimals, or 4 significant digits for a small nonzero value (the terminal term is ~1e-5). */
const num = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4));

export function formatEval(r: EvalReport): string {
  const w = likelihoodWords(r);
  const draws = r.likelihood === 'exact' ? 'exact, teacher forcing' : `${r.timeSamples} time samples each`;
  const terms = r.terms
    ? Object.entries(r.terms.terms).map(([k, t]) => `  ${k.padEnd(16)} ${num(t.mean)} ± ${num(t.stderr)}`)
    : [];
  if (w.relation === undefined) {
    // A validation loss, not a likelihood: no perplexity.
    return [
      `validation ${r.family} loss ${r.natsPerToken.toFixed(4)} ± ${r.stderrNatsPerToken.toFixed(4)} per token (1 s.e.; ${r.sequences} sequences, ${r.timeSamples} draws of t each; not a likelihood bound)`,
      ...(r.terms
        ? [`terms (mean ± 1 s.e. over ${r.terms.sequences} sequences, ${r.terms.timeSamples} draws each):`]
        : []),
      ...terms,
      ...(r.seq2seq ? [formatSeq2seqEval(r.seq2seq)] : []),
      `weights           step ${r.checkpointStep}${r.ema ? ', EMA' : ''}`,
    ].join('\n');
  }
  return [
    `validation ${w.name.padEnd(6)} ${r.natsPerToken.toFixed(4)} ± ${r.stderrNatsPerToken.toFixed(4)} nats/token (1 s.e.; ${r.sequences} sequences, ${r.tokens} tokens counted, ${draws})`,
    `perplexity        ${w.relation} ${r.perplexity.toFixed(3)}   (bits/token ${r.bitsPerToken.toFixed(4)})`,
    ...terms,
    `unigram baseline  ${r.unigramPerplexity.toFixed(3)}   (train-split counts, add-one)`,
    `weights           step ${r.checkpointStep}${r.ema ? ', EMA' : ''}`,
  ].join('\n');
}
