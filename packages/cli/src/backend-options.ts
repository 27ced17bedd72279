// The global --backend / --threads flags → initBackend, and a guaranteed shutdown so the
// wasm thread pool never keeps the process alive.
import { initBackend, shutdownBackend, type BackendInfo } from '@dlm/core';
import { CommandExit } from './cli-errors.ts';
import { reportError } from './format-error.ts';

export interface BackendFlags {
  backend?: string | undefined;
  threads?: number | undefined;
}

/**
 * Runs `fn` on the backend the flags ask for. `log` receives initBackend's one info line (default:
 * stderr); a command that prints the backend itself (`dlm info`) passes a no-op so it is not said twice.
 */
export async function withBackend<T>(
  flags: BackendFlags,
  fn: (info: BackendInfo) => Promise<T>,
  extra: { log?: (line: string) => void } = {},
): Promise<T> {
  const opts: { backend?: string; threads?: number; log?: (line: string) => void } = {};
  if (extra.log !== undefined) opts.log = extra.log;
  if (flags.backend !== undefined) opts.backend = flags.backend;
  if (flags.threads !== undefined) opts.threads = flags.threads;
  const info = await initBackend(opts);
  try {
    return await fn(info);
  } catch (err) {
    // Print the command's own error now: a backend that failed (e.g. wasm out of memory) can abort
    // again in shutdown, and that error would replace this one.
    if (!(err instanceof CommandExit)) reportError(err);
    await shutdownBackend().catch(() => {});
    throw err;
  }
  await shutdownBackend();
}
