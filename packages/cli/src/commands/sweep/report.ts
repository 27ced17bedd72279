// `dlm sweep report <sweep-dir>`: results.arrow / results.csv / results.md (mean ± s.e. over seeds) and a plot.
import type { CommandModule } from 'yargs';
import { UsageError } from '../../cli-errors.ts';

interface ReportArgs {
  dir: string;
  x?: string;
  by?: string;
  metric?: string;
}

export const sweepReport: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Final metrics of every point → results.arrow/.csv/.md (mean ± s.e. over seeds) and plots (SVG, PNG)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'sweep directory', demandOption: true })
      .option('x', { type: 'string', describe: 'plot against this axis (default: the first numeric swept axis)' })
      .option('by', { type: 'string', describe: 'one line per value of this axis (default: the next swept axis)' })
      .option('metric', { type: 'string', describe: 'metric to plot (default eval_bits_per_token)' }) as never,
  handler: async (argv) => {
    const { writeSweepReport, REPORT_METRICS } = await import('@dlm/runner');
    const metric = argv.metric as (typeof REPORT_METRICS)[number] | undefined;
    if (metric !== undefined && !(REPORT_METRICS as readonly string[]).includes(metric)) {
      throw new UsageError(`--metric must be one of ${REPORT_METRICS.join(', ')}; got ${metric}.`);
    }
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const r = writeSweepReport(argv.dir, { x: argv.x, by: argv.by, metric });
    process.stdout.write(readFileSync(join(argv.dir, 'results.md'), 'utf8'));
    process.stderr.write(
      `results → ${join(argv.dir, 'results.{arrow,csv,md}')}${r.plots.length ? `, ${r.plots.join(', ')}` : ''}\n`,
    );
  },
};
