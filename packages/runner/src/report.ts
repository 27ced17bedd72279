// The end of a training run: metrics.arrow (same rows as metrics.jsonl), loss.svg, summary.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NllEstimate } from '@dlm/eval';
import { likelihoodWords } from '@dlm/models';
import { MetricsLog, metricsToArrow } from './metrics.ts';
import { lineChartSvg } from './plot.ts';
import type { Session } from './session.ts';
import type { SampleInfo } from './run-sample.ts';
import { unigramBaseline } from './validation.ts';

export interface ReportInput {
  trainSeconds: number;
  finalLoss: number;
  val?: NllEstimate | undefined;
  sample?: SampleInfo | undefined;
}

export function writeReport(runDir: string, s: Session, r: ReportInput): void {
  const words = likelihoodWords(s.family);
  const rows = new MetricsLog(join(runDir, 'metrics.jsonl')).read();
  writeFileSync(join(runDir, 'metrics.arrow'), metricsToArrow(rows));
  const train = rows.filter((x) => x.split === 'train').map((x) => [x.step, x.loss as number] as const);
  const val = rows.filter((x) => x.split === 'val').map((x) => [x.step, x.nll as number] as const);
  writeFileSync(
    join(runDir, 'loss.svg'),
    lineChartSvg(
      [
        { name: 'train loss', points: train },
        { name: `validation ${words.name}`, points: val },
      ],
      {
        title: `${s.config.name}: ${s.config.family.name} on ${s.config.data.dataset}`,
        xLabel: 'step',
        yLabel: 'nats / token',
      },
    ),
  );
  const uni = unigramBaseline(s);
  const c = s.config;
  const lines = [
    `# ${c.name}`,
    '',
    `- family: ${c.family.name}, backbone ${c.model.name}, noise ${c.noise.name}`,
    s.pairs
      ? `- data: pairs ${c.data.pairs!.path} (${s.pairs.train.shape[0]} train, ` +
        `${s.pairs.validation.shape[0]} validation rows of ${s.length}), ` +
        `tokenizer ${c.data.tokenizer.name} of ${c.data.dataset} (vocab ${s.vocab.size})`
      : `- data: ${c.data.dataset}, tokenizer ${c.data.tokenizer.name} (vocab ${s.vocab.size}), ` +
        `${c.data.packing} blocks of ${s.length}`,
    `- steps: ${c.trainer.max_steps}, batch ${c.loader.batch_size}×${c.trainer.accumulate_grad_batches}, lr ${c.optim.lr}, seed ${c.seed}`,
    `- training time: ${r.trainSeconds.toFixed(1)} s; final train loss ${r.finalLoss.toFixed(4)} ${words.relation === undefined ? 'per token' : 'nats/token'}`,
  ];
  if (r.val) {
    lines.push(
      words.relation === undefined
        ? `- validation ${words.name}: ${r.val.natsPerToken.toFixed(4)} ± ${r.val.stderrNatsPerToken.toFixed(4)} per token (${r.val.sequences} sequences, ${r.val.timeSamples} draw of t; not a likelihood bound)`
        : `- validation ${words.name}: ${r.val.natsPerToken.toFixed(4)} ± ${r.val.stderrNatsPerToken.toFixed(4)} nats/token → perplexity ${words.relation} ${r.val.perplexity.toFixed(3)} (${r.val.bitsPerToken.toFixed(4)} bits/token; ${r.val.sequences} sequences, ${r.val.timeSamples} time sample)`,
    );
  }
  lines.push(`- unigram perplexity of the validation tokens: ${uni.perplexity.toFixed(3)}`);
  if (r.sample) {
    lines.push(
      `- samples: ${r.sample.sampler}, ${r.sample.stepsLabel}, NFE ${r.sample.nfe}, ${r.sample.tokensPerSec.toFixed(0)} tokens/s`,
      '',
      '## Samples',
      '',
    );
    for (const t of r.sample.texts) lines.push('```', t, '```', '');
  }
  lines.push(
    '',
    'Files: resolved.yaml, argv.txt, git.txt, metrics.jsonl, metrics.arrow, loss.svg, checkpoints/, samples/.',
    '',
  );
  writeFileSync(join(runDir, 'summary.md'), lines.join('\n'));
}
