// Graceful stop on SIGINT / SIGTERM. The first signal only sets a flag: the train loop finishes
// the step it is in, writes a checkpoint, the summary and the plot, prints the resume command and
// the command exits 130 (SIGINT) or 143 (SIGTERM), as a shell reports a process killed by them.
// A second signal exits at once: checkpoints are written to a temp directory and renamed into
// place (checkpoint.ts), so the last good checkpoint is never damaged by the hard exit.

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Shell convention: 128 + signal number. */
export const SIGNAL_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface StopRequest {
  /** The first signal received, if any. */
  readonly requested: StopSignal | undefined;
  /** Stop listening (restores the default behaviour of both signals). */
  dispose(): void;
}

export interface StopListenerOptions {
  /** Called once, on the first signal (e.g. a progress line "finishing step N…"). */
  onFirst?: (signal: StopSignal) => void;
  /** The hard exit of the second signal (tests replace it). */
  exit?: (code: number) => void;
  /** Where to listen (tests pass an EventEmitter). */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export function listenForStop(o: StopListenerOptions = {}): StopRequest {
  const target = o.target ?? process;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  let requested: StopSignal | undefined;
  const handlers = new Map<StopSignal, () => void>();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const h = () => {
      if (requested !== undefined) {
        process.stderr.write(`\n${sig} again: exiting now (the last checkpoint is intact)\n`);
        exit(SIGNAL_EXIT_CODE[sig]);
        return;
      }
      requested = sig;
      o.onFirst?.(sig);
    };
    handlers.set(sig, h);
    target.on(sig, h);
  }
  return {
    get requested() {
      return requested;
    },
    dispose() {
      for (const [sig, h] of handlers) target.off(sig, h);
      handlers.clear();
    },
  };
}
