// A live progress line: step, loss, tokens/s, ETA. On a TTY it rewrites one line (throttled,
// and not at all on a 0-column terminal); otherwise it prints a plain log line every
// `logEvery` steps so CI logs and `tee` stay readable.

export interface ProgressSink {
  isTTY: boolean;
  columns: number;
  write(s: string): void;
}

export interface ProgressUpdate {
  step: number;
  totalSteps: number;
  loss: number;
  tokensPerSec: number;
  lr?: number;
  extra?: string;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60),
    r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

export class Progress {
  private lastDraw = 0;
  private readonly start: number;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly logEvery = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
  }

  static stdout(logEvery = 10): Progress {
    const s = process.stdout;
    return new Progress({ isTTY: Boolean(s.isTTY), columns: s.columns ?? 0, write: (x) => s.write(x) }, logEvery);
  }

  line(u: ProgressUpdate, elapsedSec: number): string {
    const done = u.step / u.totalSteps;
    const eta = done > 0 ? (elapsedSec * (1 - done)) / done : NaN;
    const parts = [
      `step ${u.step}/${u.totalSteps}`,
      `loss ${Number.isFinite(u.loss) ? u.loss.toFixed(4) : String(u.loss)}`,
      `${Math.round(u.tokensPerSec)} tok/s`,
      `ETA ${formatDuration(eta)}`,
    ];
    if (u.lr !== undefined) parts.push(`lr ${u.lr.toExponential(2)}`);
    if (u.extra) parts.push(u.extra);
    return parts.join(' | ');
  }

  update(u: ProgressUpdate): void {
    const t = this.now();
    const elapsed = (t - this.start) / 1000;
    const last = u.step === u.totalSteps;
    if (this.sink.isTTY && this.sink.columns > 0) {
      if (!last && t - this.lastDraw < 100) return;
      this.lastDraw = t;
      this.sink.write(
        `\r${this.line(u, elapsed)
          .slice(0, this.sink.columns - 1)
          .padEnd(Math.min(this.sink.columns - 1, 100))}`,
      );
      this.drawn = true;
      if (last) this.end();
    } else if (u.step % this.logEvery === 0 || last || u.step === 1) {
      this.sink.write(`${this.line(u, elapsed)}\n`);
    }
  }

  /** Print a message on its own line without garbling the live line. */
  log(msg: string): void {
    if (this.drawn) this.sink.write('\n');
    this.drawn = false;
    this.sink.write(`${msg}\n`);
  }

  end(): void {
    if (this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}

/** The train loop's onStep hook that feeds a training row (step, loss, tokens/s, lr) to `progress`. */
export function progressOnStep(progress: Progress, totalSteps: number): (row: Record<string, unknown>) => void {
  return (row) =>
    progress.update({
      step: row['step'] as number,
      totalSteps,
      loss: row['loss'] as number,
      tokensPerSec: row['tokens_per_sec'] as number,
      lr: row['lr'] as number,
    });
}
