import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkResumeSets, extensionOf, formatExtension, lrAt, recordExtension } from './resume.ts';

const cfg = (decay: 'constant' | 'cosine' | 'linear') => ({
  optim: { lr: 1e-3, weight_decay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  lr_scheduler: { warmup_steps: 10, decay, min_lr_ratio: 0 },
});

describe('resume with --set', () => {
  it('accepts the horizon and cadence knobs; anything else is named with the allowed list', () => {
    expect(() => checkResumeSets(['trainer.max_steps=320', 'sampling.steps=50'])).not.toThrow();
    expect(() => checkResumeSets(['optim.lr=1e-2'])).toThrow(
      /--set optim\.lr.*trainer\.max_steps, trainer\.log_every_n_steps/,
    );
  });

  it('an extension recomputes the lr for the new horizon: cosine changes, constant does not', () => {
    const c = cfg('cosine');
    // step 100 of 100 under cosine is the end of the decay (0); with 200 steps it is half way (0.5·lr).
    expect(lrAt(c, 100, 100)).toBeCloseTo(0, 12);
    const e = extensionOf(c, 100, 100, 200, ['trainer.max_steps=200']);
    expect(e.lr_before).toBeCloseTo(0, 12);
    expect(e.lr_after).toBeCloseTo(1e-3 * 0.5 * (1 + Math.cos((Math.PI * 90) / 190)), 12);
    const k = extensionOf(cfg('constant'), 100, 100, 200, []);
    expect([k.lr_before, k.lr_after]).toEqual([1e-3, 1e-3]);
    expect(formatExtension(e)).toMatch(
      /from step 100: max_steps 100 → 200; learning rate of step 101: 0\.000e\+0 \(old horizon\)/,
    );
  });

  it('refuses a horizon that is not beyond the completed steps; records extensions as JSONL', () => {
    expect(() => extensionOf(cfg('constant'), 100, 100, 100, [])).toThrow(
      /trainer\.max_steps.*more than the run's 100 completed steps/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'dlm-ext-'));
    recordExtension(dir, extensionOf(cfg('linear'), 5, 20, 40, ['trainer.max_steps=40']));
    const row = JSON.parse(readFileSync(join(dir, 'extensions.jsonl'), 'utf8'));
    expect(row).toMatchObject({ from_step: 5, old_max_steps: 20, new_max_steps: 40, sets: ['trainer.max_steps=40'] });
  });
});
