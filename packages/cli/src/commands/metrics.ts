// `dlm metrics <bleu|chrf|rouge> --hyp hyps.txt --ref refs.txt [--word-order 2] [--stemmer] [--json]`: text metrics
// of line-aligned hypothesis and reference files (one segment a line, kept exactly as stored: no trimming). The
// metric names, their descriptions and which flags each takes come from @dlm/eval's text-metric registry; the JSON
// has the layout of the seq2seq-metrics fixture (`corpus`, `lines`). No tensors: @dlm/eval/text-metrics loads
// without tfjs.
import type { CommandModule } from 'yargs';
import { assertAligned, readSegments, textMetrics, type TextMetricOptions } from '@dlm/eval/text-metrics';
import { UsageError } from '../cli-errors.ts';

interface MetricsArgs {
  metric: string;
  hyp: string;
  ref: string;
  'word-order'?: number;
  stemmer?: boolean;
  json?: boolean;
}

/** The flag of each metric option. */
const FLAGS: Record<keyof TextMetricOptions, keyof MetricsArgs> = { wordOrder: 'word-order', stemmer: 'stemmer' };

/** The metrics that take an option, for help and usage errors. */
const takers = (opt: keyof TextMetricOptions): string =>
  textMetrics
    .names()
    .filter((n) => textMetrics.get(n).options.includes(opt))
    .join(', ');

export const metricsCommand: CommandModule<object, MetricsArgs> = {
  command: 'metrics <metric>',
  describe: 'BLEU, chrF / chrF++ or ROUGE of a hypothesis file against a reference file (one segment a line)',
  builder: (y) =>
    y
      .positional('metric', {
        type: 'string',
        choices: textMetrics.names(),
        describe: [...textMetrics].map(([name, m]) => `${name}: ${m.describe}`).join('; '),
        demandOption: true,
      })
      .option('hyp', { type: 'string', describe: 'hypotheses, one a line', demandOption: true })
      .option('ref', { type: 'string', describe: 'references, one a line, aligned with --hyp', demandOption: true })
      .option('word-order', { type: 'number', describe: `word n-gram order (${takers('wordOrder')}; 2 = chrF++)` })
      .option('stemmer', { type: 'boolean', describe: `NLTK's Porter stemmer (${takers('stemmer')})` })
      .option('json', { type: 'boolean', describe: 'print the JSON report (corpus and per-line values)' })
      .check((argv) => {
        const metric = textMetrics.get(argv.metric);
        for (const [opt, flag] of Object.entries(FLAGS) as [keyof TextMetricOptions, keyof MetricsArgs][]) {
          if (argv[flag] !== undefined && !metric.options.includes(opt)) {
            throw new UsageError(`--${flag} applies to ${takers(opt)} only, not ${argv.metric}`);
          }
        }
        return true;
      }) as never,
  handler: (argv) => {
    const op = `dlm metrics ${argv.metric}`;
    const hyps = readSegments(argv.hyp, '--hyp', op);
    const refs = readSegments(argv.ref, '--ref', op);
    assertAligned(op, hyps, refs, { hyps: `--hyp ${argv.hyp}`, refs: `--ref ${argv.ref}` });
    const metric = textMetrics.get(argv.metric);
    const opts: TextMetricOptions = {
      ...(argv['word-order'] !== undefined ? { wordOrder: argv['word-order'] } : {}),
      ...(argv.stemmer !== undefined ? { stemmer: argv.stemmer } : {}),
    };
    const report = metric.report(hyps, refs, opts);
    process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : `${metric.format(report)}\n`);
  },
};
