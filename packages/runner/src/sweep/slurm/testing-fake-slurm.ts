// Fake sbatch / squeue / scontrol for the slurm executor's unit tests: small sh scripts in a temp dir put first on
// PATH. Each reads its answers from files the test writes into the same dir:
//   sbatch    copies the script to submitted-<n>.sbatch, writes its args to sbatch-<n>.args, prints `sbatch.out`
//             (default 4242)
//   squeue    for `-j <job>`: the n-th call prints squeue-<job>-<n>.txt (the highest n there is once past the last),
//             after sourcing step-<job>-<n>.sh when there is one (to write point files as a running task would);
//             squeue-<job>.err instead makes it fail with that text (e.g. "Invalid job id specified")
//   scontrol  `-o show job <job>` prints scontrol-<job>.txt, or fails with "Invalid job id specified"
// and a prepared 4-point sweep directory (testSweep) whose points the step scripts mark done or failed.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVAL_RESULTS, POINT_ERROR_FILE, pointDir, prepareSweepDir } from '../sweep-dir.ts';
import { planSweep } from '../sweep-file.ts';
import type { PlannedSweep } from '../types.ts';

const SBATCH = `n=$(ls "$FAKE" | grep -c '^submitted-' || true)
cp "$2" "$FAKE/submitted-$n.sbatch"
echo "$*" > "$FAKE/sbatch-$n.args"
if [ -f "$FAKE/sbatch.out" ]; then cat "$FAKE/sbatch.out"; else echo 4242; fi`;

const SQUEUE = `job=""
while [ $# -gt 0 ]; do [ "$1" = "-j" ] && job="$2"; shift; done
echo "$job" >> "$FAKE/squeue.calls"
if [ -f "$FAKE/squeue-$job.err" ]; then cat "$FAKE/squeue-$job.err" >&2; exit 1; fi
c="$FAKE/squeue-$job.count"; n=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 )); echo $n > "$c"
if [ -f "$FAKE/step-$job-$n.sh" ]; then . "$FAKE/step-$job-$n.sh"; fi
k=$n; while [ $k -gt 0 ] && [ ! -f "$FAKE/squeue-$job-$k.txt" ]; do k=$((k-1)); done
if [ $k -gt 0 ]; then cat "$FAKE/squeue-$job-$k.txt"; fi`;

const SCONTROL = `job="$4"
if [ -f "$FAKE/scontrol-$job.txt" ]; then cat "$FAKE/scontrol-$job.txt"; else
  echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; fi`;

export interface FakeSlurm {
  dir: string;
  env: NodeJS.ProcessEnv;
  write(name: string, text: string): void;
}

export function fakeSlurm(): FakeSlurm {
  const dir = mkdtempSync(join(tmpdir(), 'dlm-fake-slurm-'));
  for (const [name, body] of Object.entries({ sbatch: SBATCH, squeue: SQUEUE, scontrol: SCONTROL })) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return {
    dir,
    env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, FAKE: dir },
    write: (name, text) => writeFileSync(join(dir, name), text),
  };
}

const quickstart = fileURLToPath(new URL('../../../../../experiments/quickstart/quickstart.yaml', import.meta.url));

export interface TestSweep {
  dir: string;
  plan: PlannedSweep;
  /** Shell lines that make point i `done` (run-state done + eval results). */
  markDone(i: number): string;
  /** Shell lines that make point i `failed` (point-error.json). */
  markFailed(i: number): string;
}

/** A prepared sweep directory of 4 points (2 lrs × 2 seeds of the quickstart) with a full `slurm:` section. */
export function testSweep(): TestSweep {
  const work = mkdtempSync(join(tmpdir(), 'dlm-slurm-exec-'));
  const file = join(work, 'lr.yaml');
  writeFileSync(
    file,
    [
      `name: lr`,
      `base: ${quickstart}`,
      `set: {trainer.max_steps: 20}`,
      `sweep: {mode: grid, axes: {optim.lr: [1.0e-3, 2.0e-3]}, seeds: [1, 2]}`,
      `slurm: {partition: cpu, time: "00:30:00", cpus_per_task: 2, mem: 2G}`,
      '',
    ].join('\n'),
  );
  const plan = planSweep(file);
  const dir = join(work, 'sweep');
  prepareSweepDir(dir, plan);
  const pdir = (i: number) => pointDir(dir, plan.points[i]!);
  const rs = JSON.stringify({ state: 'done', step: 20, maxSteps: 20, pid: 1, updated: '2026-12-04T00:00:00Z' });
  return {
    dir,
    plan,
    markDone: (i) =>
      `mkdir -p '${pdir(i)}/evals/default'; echo '${rs}' > '${pdir(i)}/run-state.json';` +
      ` echo '{}' > '${pdir(i)}/${EVAL_RESULTS}'\n`,
    markFailed: (i) => `echo '{"error":"ConfigError: boom"}' > '${pdir(i)}/${POINT_ERROR_FILE}'\n`,
  };
}
