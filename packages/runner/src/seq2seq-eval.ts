// `dlm eval <diffuseq run>`: the family's default evaluation, as DiffuSeq's scripts/eval_seq2seq.py reports it.
// Every held-out pair of `data.pairs` is decoded from its source (BOS + source as the prompt, the rest of the row
// generated with the run's sampler and `sampling.steps`); with `mbr_candidates` N > 1 each source is decoded N
// times (seeds split per candidate) and the minimum-Bayes-risk candidate is kept (@dlm/eval mbrSelect, DiffuSeq's
// sentence-BLEU utility). A hypothesis / reference is the decoded text up to the first EOS, specials removed.
// Reported: sacreBLEU corpus BLEU, DiffuSeq's own mean sentence BLEU (NLTK method4), rouge-score ROUGE-L (mean F
// over pairs), distinct-1/2 and self-BLEU of the hypotheses, NFE (network calls) and wall clock; hypotheses,
// references and sources are written to the evaluation's --out directory (beside results.json) so `dlm metrics`
// can recompute any of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Nd } from '@dlm/core';
import {
  corpusBleu,
  diffuseqMeanBleu,
  distinctN,
  mbrSelect,
  meanRouge,
  rougeScores,
  selfBleu,
  type BleuScore,
} from '@dlm/eval';
import type { FamilyModel } from '@dlm/models';
import type { Session } from './session.ts';

export interface Seq2seqEval {
  sources: number;
  candidates: number;
  sampler: string;
  steps: number;
  bleu: BleuScore;
  /** DiffuSeq's "avg BLEU" (mean NLTK sentence BLEU, method4, whitespace tokens; 0–1), as eval_seq2seq.py prints. */
  diffuseqBleu: number;
  rougeL: { precision: number; recall: number; fmeasure: number };
  distinct1: number;
  distinct2: number;
  selfBleu: number;
  nfe: number;
  seconds: number;
  examples: { source: string; reference: string; hypothesis: string }[];
}

export function seq2seqEval(
  s: Session,
  model: FamilyModel,
  outDir: string,
  o: { candidates: number; limit?: number | undefined; log: (l: string) => void },
): Seq2seqEval {
  const pairs = s.pairs!.validation;
  const [rows, L] = pairs.shape;
  const n = Math.min(rows, o.limit ?? rows);
  const tok = s.data.tokenizer;
  const eos = s.vocab.eosId;
  const specials = new Set(
    [s.vocab.bosId, s.vocab.eosId, s.vocab.padId, s.vocab.maskId].filter((x) => x !== undefined),
  );
  const text = (ids: ArrayLike<number>) => {
    const row = Array.from(ids);
    const cut = eos === undefined || row.indexOf(eos) < 0 ? row : row.slice(0, row.indexOf(eos));
    return tok.decode(
      cut.filter((id) => !specials.has(id)),
      { specials: 'skip' },
    );
  };
  const sources: string[] = [];
  const refs: string[] = [];
  const hyps: string[] = new Array<string>(n).fill('');
  // Rows with the same prompt length decode together (each keeps exactly its training layout).
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const p = pairs.promptLengths[i]!;
    groups.set(p, [...(groups.get(p) ?? []), i]);
    sources.push(text(pairs.ids.subarray(i * L, i * L + p)));
    refs.push(text(pairs.ids.subarray(i * L + p, (i + 1) * L)));
  }
  const rng = s.rng.split('seq2seq-eval');
  let nfe = 0;
  const t0 = performance.now();
  for (const [p, idx] of groups) {
    const prompt: Nd<Int32Array> = { data: new Int32Array(idx.length * p), shape: [idx.length, p] };
    idx.forEach((i, r) => prompt.data.set(pairs.ids.subarray(i * L, i * L + p), r * p));
    const cands: string[][] = idx.map(() => []);
    for (let c = 0; c < o.candidates; c++) {
      const out = model.generate!({
        prompt,
        genLength: L - p,
        steps: s.config.sampling.steps,
        blockLength: L - p,
        temperature: 0,
        remasking: '',
        cfgScale: 0,
        sampler: s.config.sampling.predictor,
        rng: rng.split(`prompt-${p}`).split(`candidate-${c}`),
      });
      nfe += out.nfe;
      const w = out.ids.shape[1]!;
      idx.forEach((_, r) => cands[r]!.push(text(out.ids.data.subarray(r * w + p, (r + 1) * w))));
    }
    idx.forEach((i, r) => (hyps[i] = cands[r]!.length > 1 ? cands[r]![mbrSelect(cands[r]!).index]! : cands[r]![0]!));
  }
  const seconds = (performance.now() - t0) / 1000;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'eval-hyps.txt'), `${hyps.join('\n')}\n`);
  writeFileSync(join(outDir, 'eval-refs.txt'), `${refs.join('\n')}\n`);
  writeFileSync(join(outDir, 'eval-sources.txt'), `${sources.join('\n')}\n`);
  const rouge = meanRouge(hyps.map((h, i) => rougeScores(h, refs[i]!)));
  return {
    sources: n,
    candidates: o.candidates,
    sampler: s.config.sampling.predictor,
    steps: s.config.sampling.steps,
    bleu: corpusBleu(hyps, refs),
    diffuseqBleu: diffuseqMeanBleu(hyps, refs),
    rougeL: rouge.rougeL,
    distinct1: distinctN(hyps, 1).distinct,
    distinct2: distinctN(hyps, 2).distinct,
    selfBleu: n > 1 ? selfBleu(hyps).score : NaN,
    nfe,
    seconds,
    examples: hyps.slice(0, 5).map((h, i) => ({ source: sources[i]!, reference: refs[i]!, hypothesis: h })),
  };
}

export function formatSeq2seqEval(r: Seq2seqEval): string {
  const mbr = r.candidates > 1 ? `MBR over ${r.candidates} candidates` : 'one decode each (no MBR)';
  return [
    `decoded ${r.sources} held-out sources with ${r.sampler}, ${r.steps} steps, ${mbr}: NFE ${r.nfe}, ${r.seconds.toFixed(1)} s`,
    `BLEU (sacreBLEU corpus)  ${r.bleu.score.toFixed(2)}   (BP ${r.bleu.bp.toFixed(3)}, ${r.bleu.sysLen}/${r.bleu.refLen} tokens)`,
    `DiffuSeq avg BLEU (NLTK) ${r.diffuseqBleu.toFixed(4)}`,
    `ROUGE-L F (mean)         ${(100 * r.rougeL.fmeasure).toFixed(2)}`,
    `distinct-1 / distinct-2  ${r.distinct1.toFixed(3)} / ${r.distinct2.toFixed(3)}`,
    `self-BLEU                ${r.selfBleu.toFixed(2)}`,
    ...r.examples.map(
      (e) => `  ${JSON.stringify(e.source)} → ${JSON.stringify(e.hypothesis)} (ref ${JSON.stringify(e.reference)})`,
    ),
  ].join('\n');
}
