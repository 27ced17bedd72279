// An RGBA pixel buffer with the few drawing operations a line chart needs (rectangles, thick lines, digits), so the
// charts of plot.ts can also be written as PNG (png.ts) without a canvas library. Pixels: [height, width, 4].
// Lines: Bresenham's algorithm (J. E. Bresenham, IBM Systems Journal 4(1), 1965), a square brush of `width`.
// Text: a 3×5 bitmap font of digits and `.-+e` only (tick labels); words stay in the SVG.

export type Rgb = readonly [number, number, number];

/** '#rrggbb' → [r, g, b]. */
export function hexColor(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// Each glyph: 5 rows of 3 bits (most significant = left column).
const GLYPHS: Record<string, readonly number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  '.': [0, 0, 0, 0, 2],
  '-': [0, 0, 7, 0, 0],
  '+': [0, 2, 7, 2, 0],
  e: [0, 7, 7, 4, 7],
};

export class Raster {
  readonly rgba: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.rgba.set([...background, 255], i * 4);
  }

  /** Sets one pixel (outside the image: ignored). */
  set(x: number, y: number, c: Rgb): void {
    const xi = Math.round(x),
      yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    this.rgba.set(c, (yi * this.width + xi) * 4);
  }

  get(x: number, y: number): Rgb {
    const i = (y * this.width + x) * 4;
    return [this.rgba[i]!, this.rgba[i + 1]!, this.rgba[i + 2]!];
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    for (let j = Math.round(y); j < Math.round(y + h); j++)
      for (let i = Math.round(x); i < Math.round(x + w); i++) this.set(i, j, c);
  }

  /** A line from (x0, y0) to (x1, y1), `width` pixels thick. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, width = 1): void {
    let x = Math.round(x0),
      y = Math.round(y0);
    const xe = Math.round(x1),
      ye = Math.round(y1);
    const dx = Math.abs(xe - x),
      dy = -Math.abs(ye - y);
    const stepX = x < xe ? 1 : -1,
      stepY = y < ye ? 1 : -1;
    let err = dx + dy;
    const lo = -Math.floor((width - 1) / 2);
    for (;;) {
      this.fillRect(x + lo, y + lo, width, width, c);
      if (x === xe && y === ye) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += stepX;
      }
      if (e2 <= dx) {
        err += dx;
        y += stepY;
      }
    }
  }

  /** Text in the 3×5 font, `scale` pixels per font pixel; (x, y) = top-left. Unknown characters: a blank. */
  text(s: string, x: number, y: number, c: Rgb, scale = 2): void {
    [...s].forEach((ch, k) => {
      const g = GLYPHS[ch];
      if (!g) return;
      g.forEach((row, j) => {
        for (let i = 0; i < 3; i++) {
          if (row & (4 >> i)) this.fillRect(x + (k * 4 + i) * scale, y + j * scale, scale, scale, c);
        }
      });
    });
  }

  /** Width in pixels of `s` drawn with `text`. */
  static textWidth(s: string, scale = 2): number {
    return s.length ? (s.length * 4 - 1) * scale : 0;
  }
}
