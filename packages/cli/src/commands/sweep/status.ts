// `dlm sweep status <sweep-dir>`: each point's state, read from its files.
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
    const { refreshPoints, formatStatus } = await import('@dlm/runner');
    const points = refreshPoints(argv.dir);
    if (argv.json) for (const p of points) process.stdout.write(`${JSON.stringify(p)}\n`);
    else process.stdout.write(`${formatStatus(argv.dir, points)}\n`);
  },
};
