import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForStop, SIGNAL_EXIT_CODE } from './interrupt.ts';

describe('listenForStop', () => {
  it('first signal sets the request once; a second exits at once with 128 + signal', () => {
    const target = new EventEmitter() as unknown as NodeJS.Process;
    const firsts: string[] = [];
    const exits: number[] = [];
    const stop = listenForStop({ target, onFirst: (s) => firsts.push(s), exit: (c) => exits.push(c) });
    expect(stop.requested).toBeUndefined();
    target.emit('SIGTERM');
    expect(stop.requested).toBe('SIGTERM');
    expect(exits).toEqual([]);
    target.emit('SIGINT');
    expect(stop.requested).toBe('SIGTERM');
    expect(firsts).toEqual(['SIGTERM']);
    expect(exits).toEqual([130]);
    stop.dispose();
    expect((target as unknown as EventEmitter).listenerCount('SIGINT')).toBe(0);
    expect(SIGNAL_EXIT_CODE).toEqual({ SIGINT: 130, SIGTERM: 143 });
  });
});
