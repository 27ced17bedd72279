// Line charts as a self-contained SVG (no browser, no native deps): one polyline per series,
// axes with 5 ticks each. Good enough to eyeball "loss clearly falls" in a run directory. lineChartPng draws the
// same layout into pixels (raster.ts, png.ts) for viewers that do not show SVG.
import { encodePng } from './png.ts';
import { Raster, hexColor, type Rgb } from './raster.ts';

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

function ticks(lo: number, hi: number, n = 5): number[] {
  if (hi === lo) return [lo];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

export function fmt(x: number): string {
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e4 || a < 1e-2) ? x.toExponential(1) : Number(x.toPrecision(3)).toString();
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** x range: from 0 (steps; the default) or the data's own range (a swept value). */
  xRange?: 'zero' | 'data';
}

/** Where a chart's data goes: the plot area, the data → pixel maps and the ticks (shared by SVG and PNG). */
export interface ChartLayout {
  W: number;
  H: number;
  m: { l: number; r: number; t: number; b: number };
  sx: (x: number) => number;
  sy: (y: number) => number;
  xTicks: number[];
  yTicks: number[];
}

export function chartLayout(series: readonly Series[], opts: ChartOptions): ChartLayout {
  const W = opts.width ?? 640,
    H = opts.height ?? 400;
  const m = { l: 64, r: 16, t: 36, b: 48 };
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = pts.map((p) => p[0]),
    ys = pts.map((p) => p[1]);
  let x0 = opts.xRange === 'data' ? Math.min(...xs) : Math.min(...xs, 0),
    x1 = opts.xRange === 'data' ? Math.max(...xs) : Math.max(...xs, 1);
  if (!Number.isFinite(x0)) [x0, x1] = [0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  let y0 = Math.min(...ys),
    y1 = Math.max(...ys);
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  return { W, H, m, sx, sy, xTicks: ticks(x0, x1), yTicks: ticks(y0, y1) };
}

export function lineChartSvg(series: readonly Series[], opts: ChartOptions): string {
  const { W, H, m, sx, sy, xTicks, yTicks } = chartLayout(series, opts);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(opts.title)}</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
  ];
  for (const t of xTicks)
    out.push(`<text x="${sx(t).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  for (const t of yTicks) {
    out.push(`<text x="${m.l - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
    out.push(`<line x1="${m.l}" y1="${sy(t).toFixed(1)}" x2="${W - m.r}" y2="${sy(t).toFixed(1)}" stroke="#eee"/>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  out.push(
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${esc(opts.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length]!;
    const p = s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    if (p.length) out.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${p.join(' ')}"/>`);
    out.push(`<text x="${W - m.r - 4}" y="${m.t + 14 * (i + 1)}" text-anchor="end" fill="${c}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/**
 * The same chart as `lineChartSvg` rasterised to PNG bytes: axes, grid, tick numbers, the lines with a marker at each
 * point, and a colour swatch per series in the legend corner (words — title, labels, series names — are only in the
 * SVG: the raster font has digits only).
 */
export function lineChartPng(series: readonly Series[], opts: ChartOptions): Uint8Array {
  const { W, H, m, sx, sy, xTicks, yTicks } = chartLayout(series, opts);
  const r = new Raster(W, H);
  const black: Rgb = [0, 0, 0];
  for (const t of yTicks) {
    r.line(m.l, sy(t), W - m.r, sy(t), [238, 238, 238]);
    const label = fmt(t);
    r.text(label, m.l - 6 - Raster.textWidth(label), sy(t) - 5, black);
  }
  for (const t of xTicks) {
    const label = fmt(t);
    const w = Raster.textWidth(label);
    r.text(label, Math.min(Math.max(0, sx(t) - w / 2), W - w), H - m.b + 8, black);
  }
  r.line(m.l, H - m.b, W - m.r, H - m.b, black);
  r.line(m.l, m.t, m.l, H - m.b, black);
  series.forEach((s, i) => {
    const c = hexColor(COLORS[i % COLORS.length]!);
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => [sx(x), sy(y)]);
    for (let k = 1; k < p.length; k++) r.line(p[k - 1]![0]!, p[k - 1]![1]!, p[k]![0]!, p[k]![1]!, c, 2);
    for (const [x, y] of p) r.fillRect(x! - 3, y! - 3, 7, 7, c);
    r.fillRect(W - m.r - 24, m.t + 14 * i + 4, 20, 8, c);
  });
  return encodePng(W, H, r.rgba);
}
