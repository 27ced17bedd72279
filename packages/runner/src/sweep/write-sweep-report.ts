// `dlm sweep report <sweep-dir>`: reads every point of a sweep directory and writes the per-point report
// (sweep-report.ts: results.{arrow,csv,md} and its plot) and the report of the `evals:` variants
// (sweep-eval-report.ts: evals-<verb>.{arrow,csv,md}, appended to results.md, and their plots).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writeResultFiles } from '../eval-out.ts';
import { refreshPoints } from './sweep-dir.ts';
import { readSweepEvals } from './sweep-evals.ts';
import { evalArrow, evalCsv, evalMd, evalReports } from './sweep-eval-report.ts';
import {
  groupBySetting,
  pointResult,
  resultsArrow,
  resultsCsv,
  resultsMd,
  sweepPlot,
  type PlotChoice,
  type SweepReport,
} from './sweep-report.ts';

/** Reads every point of a sweep directory and writes results.{arrow,csv,md} and the plot. */
export function writeSweepReport(dir: string, c: PlotChoice = {}): SweepReport {
  const records = refreshPoints(dir);
  const { name, axes } = parseYaml(readFileSync(join(dir, 'sweep.yaml'), 'utf8')) as { name: string; axes: string[] };
  const points = records.map((p) => pointResult(dir, p));
  const groups = groupBySetting(points);
  const plot = sweepPlot(axes, points, groups, c);
  const plots: string[] = [];
  if (plot) {
    mkdirSync(join(dir, 'plots'), { recursive: true });
    writeResultFiles(join(dir, 'plots'), { [`${plot.name}.svg`]: plot.svg, [`${plot.name}.png`]: plot.png });
    plots.push(`plots/${plot.name}.svg`, `plots/${plot.name}.png`);
  }
  const variants = readSweepEvals(dir);
  const evals = variants.length ? evalReports(dir, axes, records, variants) : [];
  const files: Record<string, string | Uint8Array> = {};
  for (const e of evals) {
    for (const p of e.plots) {
      mkdirSync(join(dir, 'plots'), { recursive: true });
      writeResultFiles(join(dir, 'plots'), { [`${p.name}.svg`]: p.svg, [`${p.name}.png`]: p.png });
      plots.push(`plots/${p.name}.svg`, `plots/${p.name}.png`);
    }
    files[`evals-${e.verb}.arrow`] = evalArrow(e);
    files[`evals-${e.verb}.csv`] = evalCsv(e);
    files[`evals-${e.verb}.md`] = `${evalMd(e)}\n`;
  }
  const report = { dir, axes, points, groups, plots };
  const md = [resultsMd(name, axes, report), ...evals.map((e) => `${evalMd(e)}\n`)].join('\n');
  writeResultFiles(dir, {
    'results.arrow': resultsArrow(axes, points),
    'results.csv': resultsCsv(axes, points),
    'results.md': md,
    ...files,
  });
  return report;
}
