import { describe, expect, it } from 'vitest';
import { mkdtempSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { MetricsLog, metricsToArrow, type MetricRow } from './metrics.ts';
import { lineChartSvg } from './plot.ts';

describe('MetricsLog', () => {
  it('appends, reads, drops a partial last line, truncates for resume', () => {
    const log = new MetricsLog(join(mkdtempSync(join(tmpdir(), 'dlm-m-')), 'metrics.jsonl'));
    for (let s = 1; s <= 5; s++) log.append({ step: s, split: 'train', loss: 10 - s });
    appendFileSync(log.path, '{"step": 6, "spl'); // killed mid-write
    expect(log.read().map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    log.truncateAfter(3);
    expect(log.read().map((r) => r.loss)).toEqual([9, 8, 7]);
  });

  it('Arrow table has the same rows and columns', () => {
    const rows: MetricRow[] = [
      { step: 1, split: 'train', loss: 2.5 },
      { step: 2, split: 'val', loss: 2.0, ppl: 7.4 },
    ];
    const t = tableFromIPC(metricsToArrow(rows));
    expect(t.numRows).toBe(2);
    expect(t.getChild('loss')!.toArray()).toEqual(Float64Array.from([2.5, 2.0]));
    expect(t.getChild('split')!.get(1)).toBe('val');
    expect(Number.isNaN(t.getChild('ppl')!.get(0))).toBe(true);
  });
});

describe('lineChartSvg', () => {
  it('draws one polyline per series with labels', () => {
    const svg = lineChartSvg(
      [
        {
          name: 'train',
          points: [
            [1, 3],
            [2, 2],
            [3, 1.5],
          ],
        },
        { name: 'val', points: [[2, 2.2]] },
      ],
      { title: 'loss', xLabel: 'step', yLabel: 'nats/token' },
    );
    expect(svg.match(/<polyline/g)!.length).toBe(2);
    expect(svg).toMatch(/>train</);
    expect(svg).toMatch(/^<svg/);
  });
});
