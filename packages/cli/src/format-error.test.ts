import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, currentBackend } from '@dlm/core';
import { withBackend } from './backend-options.ts';
import { formatError, reportError, wasReported } from './format-error.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('dlm: error lines', () => {
  it('errors print as one dlm: line (a stack only with DLM_DEBUG=1); each error once', () => {
    const e = new ConfigError({ op: 'train', arg: 'loader.batch_size', expected: 'a step that fits', got: '5 GiB' });
    expect(formatError(e)).toBe('dlm: ConfigError: train: loader.batch_size, expected a step that fits, got 5 GiB\n');
    expect(formatError(new RangeError('boom'), false)).toBe(
      'dlm: RangeError: boom\ndlm: (set DLM_DEBUG=1 for the stack trace)\n',
    );
    expect(formatError(new RangeError('boom'), true)).toMatch(/^dlm: RangeError: boom\nRangeError: boom\n {4}at /);
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => lines.push(String(s)) > 0);
    reportError(e);
    reportError(e);
    expect(lines).toHaveLength(1);
    expect(wasReported(e)).toBe(true);
  });

  it('withBackend prints the command error before shutting the backend down, then rethrows it', async () => {
    const lines: string[] = [];
    // Each line is recorded with whether a backend was still up when it was written.
    const record = (s: unknown) => lines.push(`${currentBackend() ? 'up' : 'down'} ${String(s)}`) > 0;
    vi.spyOn(process.stderr, 'write').mockImplementation(record);
    const original = new RangeError('the step failed');
    await expect(withBackend({ backend: 'cpu' }, async () => Promise.reject(original))).rejects.toBe(original);
    expect(lines.filter((l) => l.startsWith('up dlm: RangeError: the step failed'))).toHaveLength(1);
    expect(wasReported(original)).toBe(true);
    expect(currentBackend()).toBeUndefined(); // and shut down afterwards
  });
});
