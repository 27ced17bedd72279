import { describe, expect, it } from 'vitest';
import { Progress, formatDuration } from './progress.ts';

function sink(isTTY: boolean, columns = 80) {
  const out: string[] = [];
  return { out, s: { isTTY, columns, write: (x: string) => void out.push(x) } };
}

describe('Progress', () => {
  it('prints plain log lines every logEvery steps when not a TTY', () => {
    const { out, s } = sink(false);
    let t = 0;
    const p = new Progress(s, 5, () => (t += 1000));
    for (let i = 1; i <= 10; i++) p.update({ step: i, totalSteps: 10, loss: 2.5, tokensPerSec: 1234.4 });
    expect(out.length).toBe(3); // steps 1, 5, 10
    expect(out[1]).toMatch(/^step 5\/10 \| loss 2\.5000 \| 1234 tok\/s \| ETA \d+s\n$/);
  });
  it('rewrites one line on a TTY and never on a 0-column terminal', () => {
    const tty = sink(true);
    let t = 0;
    const p = new Progress(tty.s, 5, () => (t += 1000));
    p.update({ step: 1, totalSteps: 2, loss: 1, tokensPerSec: 1 });
    p.update({ step: 2, totalSteps: 2, loss: 1, tokensPerSec: 1 });
    expect(tty.out[0]!.startsWith('\r')).toBe(true);
    expect(tty.out.at(-1)).toBe('\n');
    const zero = sink(true, 0);
    new Progress(zero.s, 1).update({ step: 1, totalSteps: 2, loss: 1, tokensPerSec: 1 });
    expect(zero.out.join('')).not.toMatch(/\r/);
  });
  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('?');
  });
});
