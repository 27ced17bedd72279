import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { Raster, hexColor } from './raster.ts';
import { COLORS, chartLayout, lineChartPng } from './plot.ts';

const red = [255, 0, 0] as const;
const white = [255, 255, 255] as const;

describe('Raster', () => {
  it('a horizontal, a vertical and a diagonal line set exactly their pixels', () => {
    const r = new Raster(5, 5);
    r.line(0, 0, 4, 4, red);
    for (let i = 0; i < 5; i++) expect(r.get(i, i)).toEqual(red);
    expect(r.get(1, 0)).toEqual(white);
    const h = new Raster(5, 3);
    h.line(4, 1, 0, 1, red);
    const row = (y: number) => Array.from({ length: 5 }, (_, x) => h.get(x, y)[1]);
    expect(row(1)).toEqual([0, 0, 0, 0, 0]);
    expect(row(0)).toEqual([255, 255, 255, 255, 255]);
  });
  it('a 3-pixel-wide line covers the rows beside it; pixels outside the image are ignored', () => {
    const r = new Raster(6, 5);
    r.line(-3, 2, 9, 2, red, 3);
    for (let x = 0; x < 6; x++) for (const y of [1, 2, 3]) expect(r.get(x, y)).toEqual(red);
    for (let x = 0; x < 6; x++) for (const y of [0, 4]) expect(r.get(x, y)).toEqual(white);
  });
  it('draws the digit 1 of the 3×5 font', () => {
    const r = new Raster(3, 5);
    r.text('1', 0, 0, red, 1);
    const on = (y: number) => [0, 1, 2].map((x) => (r.get(x, y)[1] === 0 ? 1 : 0)).join('');
    expect([0, 1, 2, 3, 4].map(on)).toEqual(['010', '110', '010', '010', '111']);
    expect(Raster.textWidth('10', 2)).toBe(14);
  });
  it('hexColor', () => expect(hexColor('#1f77b4')).toEqual([31, 119, 180]));
});

describe('lineChartPng', () => {
  it('puts each series colour at its data points, where the SVG layout puts them', () => {
    const series = [
      {
        name: 'a',
        points: [
          [1, 2],
          [2, 3],
          [3, 2.5],
        ] as const,
      },
      {
        name: 'b',
        points: [
          [1, 1],
          [3, 1.5],
        ] as const,
      },
    ];
    const opts = { title: 't', xLabel: 'x', yLabel: 'y', width: 200, height: 120, xRange: 'data' as const };
    const png = lineChartPng(series, opts);
    const v = new DataView(png.buffer, png.byteOffset);
    expect([v.getUint32(16), v.getUint32(20)]).toEqual([200, 120]);
    const raw = inflateSync(png.subarray(41, 41 + v.getUint32(33)));
    const px = (x: number, y: number) => {
      const o = Math.round(y) * (200 * 4 + 1) + 1 + Math.round(x) * 4;
      return [raw[o], raw[o + 1], raw[o + 2]];
    };
    const { sx, sy } = chartLayout(series, opts);
    series.forEach((s, i) => {
      for (const [x, y] of s.points) expect(px(sx(x), sy(y))).toEqual([...hexColor(COLORS[i]!)]);
    });
    expect(sx(1)).toBe(64); // xRange 'data': the first x at the left edge of the plot area
    expect(px(2, 2)).toEqual([255, 255, 255]);
  });
});
