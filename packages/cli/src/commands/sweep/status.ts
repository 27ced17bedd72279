// `dlm sweep status <sweep-dir>`: each point's state, read from its files, and for a sweep run on Slurm the state of
// each point's latest array task (live from squeue when it is on PATH, else the last one the executor saw).
import type { CommandModule } from 'yargs';

interface StatusArgs {
  dir: string;
  json?: boolean;
}

export const sweepStatus: CommandModule<object, StatusArgs> = {
  command: 'status <dir>',
  describe: "Each point's state (pending, running, done, failed, interrupted, stale)",
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'sweep directory', demandOption: true })
      .option('json', { type: 'boolean', describe: 'one JSON line per point' }) as never,
  handler: async (argv) => {
    const { refreshPoints, formatStatus, slurmStatus } = await import('@dlm/runner');
    const points = refreshPoints(argv.dir);
    const slurm = await slurmStatus(argv.dir);
    if (argv.json) {
      for (const p of points) {
        const cell = slurm.get(p.index);
        process.stdout.write(`${JSON.stringify(cell ? { ...p, slurm: cell } : p)}\n`);
      }
    } else process.stdout.write(`${formatStatus(argv.dir, points, slurm)}\n`);
  },
};
