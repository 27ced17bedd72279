// The global --backend / --threads flags → initBackend, and a guaranteed shutdown so the
// wasm thread pool never keeps the process alive.
import { initBackend, shutdownBackend, type BackendInfo } from '@dlm/core';

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
  } finally {
    await shutdownBackend();
  }
}
