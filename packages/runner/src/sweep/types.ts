// The shapes every sweep piece shares: a planned sweep (sweep-file.ts), its points, and the executors that run
// them (executors.ts). An executor gets the sweep directory (sweep-dir.ts) and the plan; each point is run by
// `dlm sweep run-point <sweep-dir> --index i` (run-point.ts), wherever the executor puts that process.
import type { Experiment } from '../experiment.ts';
import type { EvalVariant } from './sweep-evals.ts';

export const SWEEP_MODES = ['grid', 'zip', 'random'] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/** The `slurm:` section of a sweep file (read by the slurm executor only). */
export interface SlurmOptions {
  partition?: string | undefined;
  /** Wall-clock limit per task, e.g. "01:00:00". */
  time?: string | undefined;
  cpus_per_task?: number | undefined;
  gpus?: number | undefined;
  mem?: string | undefined;
  account?: string | undefined;
  /** Extra `#SBATCH` lines, written as given (e.g. "--qos=short"). */
  extra?: string[] | undefined;
  /** At most this many array tasks at once (`--array=0-N%M`); default: all. */
  max_parallel?: number | undefined;
}

export interface SweepPoint {
  /** 0-based position in the plan. */
  index: number;
  /** sha256 (hex) of the canonical JSON of the resolved experiment without its run-local fields (name, runs_dir). */
  hash: string;
  /** The first 8 hex digits of `hash`. */
  hash8: string;
  /** Dotted key → value given to this point (axes, and `seed` when the sweep has `seeds:`), in axis order. */
  overrides: Record<string, unknown>;
  /** The resolved, validated experiment of this point. */
  experiment: Experiment;
  /** `<index>-<hash8>`: its run directory under `<sweep-dir>/points/`. */
  dirName: string;
}

export interface PlannedSweep {
  /** Sweep name (the file's `name:`, else its base name): the default directory is `sweeps/<name>-<time>/`. */
  name: string;
  /** The sweep file, absolute. */
  file: string;
  /** The base experiment, absolute. */
  baseFile: string;
  mode: SweepMode;
  /** Axis keys in file order (`seed` last when the sweep has `seeds:`). */
  axes: string[];
  points: SweepPoint[];
  slurm?: SlurmOptions | undefined;
  /** The `evals:` variants every point runs after its default evaluation (sweep-evals.ts). */
  evals: EvalVariant[];
}

export interface ExecutorOptions {
  /** Points run at once (local: worker processes; slurm: the array's %M unless the file sets max_parallel). */
  parallel: number;
  log: (line: string) => void;
}

/** Runs the pending points of a prepared sweep directory (points.jsonl and point dirs already written). */
export interface SweepExecutor {
  name: string;
  /** Preflight before the sweep directory is written (slurm: sbatch on PATH, a valid `slurm:` section). */
  check?(sweep: PlannedSweep): void;
  run(dir: string, sweep: PlannedSweep, o: ExecutorOptions): Promise<void>;
}
