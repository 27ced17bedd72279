// The two ways a command ends other than success, besides library errors (DlmError):
//   UsageError   bad usage found by a command's own checks: message + help, exit 2 (as yargs' own)
//   CommandExit  a command that ran but must end with a given code (an interrupted run: 130 / 143)

export class UsageError extends Error {
  override name = 'UsageError';
}

export class CommandExit extends Error {
  override name = 'CommandExit';
  constructor(
    readonly code: number,
    message = `exit ${code}`,
  ) {
    super(message);
  }
}
