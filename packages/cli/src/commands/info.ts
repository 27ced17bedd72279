// `dlm info`: what this machine gives dlm: backend and why, tfjs version, threads, optional
// accelerators, whether the native kernel path (@dlm/native) is on and if not why, and a 1024×1024 matmul GFLOP/s
// so two machines can be compared at a glance.
// `dlm info <checkpoint folder>`: the folder's layout, family, parameters, dtypes, file bytes, the float32
// memory it needs, whether the backend and the free system memory can hold it, and a measured real load.
import type { CommandModule } from 'yargs';
import type { BackendFlags } from '../backend-options.ts';

interface InfoArgs extends BackendFlags {
  model?: string;
  json?: boolean;
}

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info [model]',
  describe:
    'Show the tensor backend, threads, accelerators and matmul speed; with a checkpoint folder: its parameters, dtypes, memory and a measured load',
  builder: (y) =>
    y
      .positional('model', {
        type: 'string',
        describe: 'a checkpoint folder in a published layout (llada, gpt2, mdlm, sedd)',
      })
      .option('json', { type: 'boolean', describe: 'print JSON instead of text' }) as never,
  handler: async (argv) => {
    if (argv.model !== undefined) return folderInfo(argv, argv.model);
    // Loaded on use so `dlm --help` never starts tfjs.
    const { withBackend } = await import('../backend-options.ts');
    const { matmulGflops } = await import('@dlm/core');
    // The backend line is part of this command's own output, so initBackend's info line is muted.
    await withBackend(
      argv,
      async (info) => {
        // The plain-JS cpu backend runs a 1024³ product in seconds: one warm-up and one timed run there.
        const reps = info.name === 'cpu' ? { iters: 1, warmup: 1 } : { iters: 5, warmup: 2 };
        const mm = await matmulGflops({ m: 1024, k: 1024, n: 1024, variant: 'NN', ...reps });
        const report = {
          backend: info.name,
          reason: info.reason,
          tfjs: info.tfjsVersion,
          threads: info.threads,
          available: info.available,
          accelerators: info.accelerators,
          native: info.native,
          matmul1024Gflops: Number(mm.gflops.toFixed(2)),
          node: process.version,
        };
        if (argv.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const acc = Object.entries(info.accelerators)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
        process.stdout.write(
          [
            `backend      ${report.backend} (${report.reason})`,
            `tfjs         ${report.tfjs}`,
            `threads      ${report.threads}`,
            `available    ${report.available.join(', ')}`,
            `accelerators ${acc || 'none'}`,
            `native       ${report.native.active ? 'on' : 'off'}: ${report.native.detail}`,
            `matmul       ${report.matmul1024Gflops} GFLOP/s (1024x1024 float32)`,
            `node         ${report.node}`,
          ].join('\n') + '\n',
        );
      },
      { log: () => {} },
    );
  },
};

async function folderInfo(argv: InfoArgs, folder: string): Promise<void> {
  const { withBackend } = await import('../backend-options.ts');
  const { checkpointInfo, formatCheckpointInfo } = await import('@dlm/runner');
  await withBackend(
    argv,
    async (info) => {
      const r = await checkpointInfo(folder, { backend: info.name });
      if (argv.json) {
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${formatCheckpointInfo(r).join('\n')}\n`);
    },
    { log: () => {} },
  );
}
