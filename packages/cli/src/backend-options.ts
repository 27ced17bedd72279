// The global --backend / --threads flags → initBackend, and a guaranteed shutdown so the
// wasm thread pool never keeps the process alive.
import { initBackend, shutdownBackend, type BackendInfo } from '@dlm/core';
import { reportError } from './format-error.ts';

export interface BackendFlags {
  backend?: string | undefined;
  threads?: number | undefined;
}

export async function withBackend<T>(flags: BackendFlags, fn: (info: BackendInfo) => Promise<T>): Promise<T> {
  const opts: { backend?: string; threads?: number } = {};
  if (flags.backend !== undefined) opts.backend = flags.backend;
  if (flags.threads !== undefined) opts.threads = flags.threads;
  const info = await initBackend(opts);
  try {
    return await fn(info);
  } catch (err) {
    // Print the command's own error now: a backend that failed (e.g. wasm out of memory) can abort
    // again in shutdown, and that error would replace this one.
    reportError(err);
    await shutdownBackend().catch(() => {});
    throw err;
  }
  await shutdownBackend();
}
