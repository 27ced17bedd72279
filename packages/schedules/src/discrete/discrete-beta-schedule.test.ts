import { describe, expect, it } from 'vitest';
import { discreteBetaSchedule, extractCoef, allTimesteps } from './discrete-beta-schedule.ts';
import { discreteBetaSchedules } from './registry.ts';

describe('discreteBetaSchedule', () => {
  it('registers the six reference schedules', () => {
    expect(discreteBetaSchedules.names()).toEqual(['sqrt', 'cosine', 'linear', 'trunc_cos', 'trunc_lin', 'pw_lin']);
  });

  it('unknown names list the valid ones', () => {
    expect(() => discreteBetaSchedule('quadratic', 100)).toThrow(
      /"quadratic".*one of sqrt, cosine, linear, trunc_cos, trunc_lin, pw_lin/,
    );
  });

  it('contract for every entry: T tables, β in (0, 1], ᾱ strictly decreasing', () => {
    for (const [name] of discreteBetaSchedules) {
      const s = discreteBetaSchedule(name, 200);
      expect(s.numTimesteps).toBe(200);
      expect(s.tables.betas.length).toBe(200);
      for (let i = 0; i < 200; i++) {
        expect(s.tables.betas[i]!).toBeGreaterThan(0);
        expect(s.tables.betas[i]!).toBeLessThanOrEqual(1);
        if (i > 0) expect(s.tables.alphasCumprod[i]!).toBeLessThan(s.tables.alphasCumprod[i - 1]!);
      }
    }
  });

  it('respacing through useTimesteps keeps the original T for the model timestep scale', () => {
    const s = discreteBetaSchedule('sqrt', 100, { useTimesteps: [0, 50, 99] });
    expect(s.numTimesteps).toBe(3);
    expect(s.originalNumTimesteps).toBe(100);
    expect(Array.from(s.timestepMap)).toEqual([0, 50, 99]);
    const full = discreteBetaSchedule('sqrt', 100, { useTimesteps: allTimesteps(100) });
    expect(full.numTimesteps).toBe(100);
  });

  it('rejects T < 2', () => {
    expect(() => discreteBetaSchedule('sqrt', 1)).toThrow(/discreteBetaSchedule\("sqrt"\): num_timesteps/);
    expect(() => discreteBetaSchedule('sqrt', 10.5)).toThrow(/integer ≥ 2/);
  });
});

describe('extractCoef', () => {
  const table = Float64Array.of(0.1, 0.2, 1 / 3);
  it('rounds to float32 like _extract_into_tensor(...).float(), or keeps float64', () => {
    expect(Array.from(extractCoef(table, [2, 0], 'float32'))).toEqual([Math.fround(1 / 3), Math.fround(0.1)]);
    expect(Math.fround(1 / 3)).not.toBe(1 / 3);
    expect(Array.from(extractCoef(table, [2, 0], 'float64'))).toEqual([1 / 3, 0.1]);
  });
  it('names the op and the bad timestep', () => {
    expect(() => extractCoef(table, [0, 3], 'float32', 'myop')).toThrow(/myop: t\[1\].*\[0, 3\).*got 3/);
    expect(() => extractCoef(table, [-1], 'float32')).toThrow(/t\[0\]/);
    expect(() => extractCoef(table, [0.5], 'float32')).toThrow(/integer timestep/);
  });
});
