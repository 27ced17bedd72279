// `dlm` command line: yargs with strict parsing. Commands are thin: they parse flags and call
// library code. Exit codes: 0 ok, 1 the command failed, 2 bad usage (unknown command / flag).
import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { backendNamesHelp } from '@dlm/core/backend/names';
import { CommandExit, UsageError } from './cli-errors.ts';
import { commands } from './commands/index.ts';
import { reportError } from './format-error.ts';

/** `dlm --version`: the workspace version (root package.json). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `dlm ${pkg.version}`;
}

export async function main(argv: string[]): Promise<number> {
  let usageFailure: string | undefined;
  const cli: Argv = yargs(argv)
    .scriptName('dlm')
    .usage('$0 <command> [options]\n\nDiffusion language models: train, sample, evaluate, benchmark.')
    .option('backend', {
      type: 'string',
      describe:
        `force a tfjs backend (${backendNamesHelp()}); ` +
        'default: the first that loads, in that order; env DLM_BACKEND',
      global: true,
    })
    .option('threads', { type: 'number', describe: 'wasm threads (default: all cores); env DLM_THREADS', global: true })
    .strict()
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(version())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own usage errors come as msg; a command's .check throws UsageError; anything
      // else is a real failure of a handler and goes to reportError.
      if (err && !(err instanceof UsageError)) throw err;
      throw new UsageError(err?.message ?? msg);
    });
  for (const c of commands) cli.command(c as never);
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      usageFailure = err.message;
    } else if (err instanceof CommandExit) {
      return err.code;
    } else {
      // One `dlm:` line (printed already by withBackend when the error came from a command).
      reportError(err);
      return 1;
    }
  }
  if (usageFailure !== undefined) {
    process.stderr.write(`dlm: ${usageFailure}\n\n`);
    cli.showHelp((s) => process.stderr.write(`${s}\n`));
    return 2;
  }
  return 0;
}
