// `dlm sweep plan <file>`: expands, resolves and validates every point; prints the table. Runs nothing.
import type { CommandModule } from 'yargs';

interface PlanArgs {
  file: string;
  json?: boolean;
}

export const sweepPlan: CommandModule<object, PlanArgs> = {
  command: 'plan <file>',
  describe: 'Expand and validate a sweep file; print its points (index, hash, overrides)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'sweep YAML', demandOption: true })
      .option('json', { type: 'boolean', describe: 'one JSON line per point' }) as never,
  handler: async (argv) => {
    const { planSweep, formatPlan } = await import('@dlm/runner');
    const plan = planSweep(argv.file);
    if (argv.json) {
      for (const p of plan.points) {
        process.stdout.write(`${JSON.stringify({ index: p.index, hash: p.hash, overrides: p.overrides })}\n`);
      }
    } else process.stdout.write(`${formatPlan(plan)}\n`);
  },
};
