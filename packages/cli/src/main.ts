// `dlm` command line: yargs with strict parsing. Commands are thin: they parse flags and call
// library code. Exit codes: 0 ok, 1 the command failed, 2 bad usage (unknown command / flag).
import yargs, { type Argv } from 'yargs';
import { commands } from './commands/index.ts';
import { reportError, wasReported } from './format-error.ts';

/** Thrown from yargs' fail hook so that no handler runs after a usage error. */
class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  let usageFailure: string | undefined;
  const cli: Argv = yargs(argv)
    .scriptName('dlm')
    .usage('$0 <command> [options]\n\nDiffusion language models: train, sample, evaluate, benchmark.')
    .option('backend', {
      type: 'string',
      describe: 'force a tfjs backend (tensorflow-gpu | tensorflow | wasm | cpu); default: best available; env DLM_BACKEND',
      global: true,
    })
    .option('threads', { type: 'number', describe: 'wasm threads (default: all cores); env DLM_THREADS', global: true })
    .strict()
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
  for (const c of commands) cli.command(c as never);
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      usageFailure = err.message;
    } else if (wasReported(err) || (err instanceof Error && 'op' in err)) {
      // Library errors (ConfigError, CheckpointError …) carry `op`; print them without a stack (once:
      // withBackend may have printed the error already, before shutting the backend down).
      reportError(err);
      return 1;
    } else {
      throw err;
    }
  }
  if (usageFailure !== undefined) {
    process.stderr.write(`dlm: ${usageFailure}\n\n`);
    cli.showHelp((s) => process.stderr.write(`${s}\n`));
    return 2;
  }
  return 0;
}
