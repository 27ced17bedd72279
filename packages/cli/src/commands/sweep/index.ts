// `dlm sweep`: ablation sweeps from YAML. Each verb is one file here and one line below.
import type { CommandModule } from 'yargs';
import { sweepPlan } from './plan.ts';
import { sweepRun } from './run.ts';
import { sweepRunPoint } from './run-point.ts';
import { sweepStatus } from './status.ts';
import { sweepReport } from './report.ts';

const verbs: readonly CommandModule[] = [
  sweepPlan as CommandModule,
  sweepRun as CommandModule,
  sweepStatus as CommandModule,
  sweepReport as CommandModule,
  sweepRunPoint as CommandModule,
];

export const sweepCommand: CommandModule = {
  command: 'sweep',
  describe: 'Ablation sweeps from a sweep YAML: plan, run (local or slurm), status, report',
  builder: (y) => {
    for (const v of verbs) y.command(v as never);
    return y.demandCommand(1, 'Name a sweep verb.') as never;
  },
  handler: () => {},
};
