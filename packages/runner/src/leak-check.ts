// Tensor growth across training steps (`dlm train --check-leaks K`, and the leak test): tf.memory() after
// every K-th step — live tensors, their bytes, and the backend's own count of data buffers (a kernel that
// forgets an intermediate it allocated in the backend shows there, not in the engine's tensor count). A step
// that leaves anything behind makes the counts climb linearly with the step; flat counts from the first mark to
// the last say no step leaks.
import { ConfigError, brief, tf } from '@dlm/core';

export interface MemoryMark {
  step: number;
  numTensors: number;
  numBytes: number;
  backendDataIds: number;
}

export function memoryMark(step: number): MemoryMark {
  const m = tf.memory();
  return { step, numTensors: m.numTensors, numBytes: m.numBytes, backendDataIds: tf.engine().backend.numDataIds() };
}

export class LeakWatch {
  readonly marks: MemoryMark[] = [];

  /** @param every mark after steps every, 2·every, … (and the last one) */
  constructor(
    readonly every: number,
    private readonly log?: (line: string) => void,
  ) {
    if (!(Number.isInteger(every) && every >= 1))
      throw new ConfigError({ op: 'check leaks', arg: 'every', expected: 'an integer ≥ 1', got: brief(every) });
  }

  /** Called after each training step (its validation and checkpoint included). */
  afterStep(step: number, last: boolean): void {
    if (step % this.every !== 0 && !last) return;
    const m = memoryMark(step);
    this.marks.push(m);
    this.log?.(
      `step ${step}: ${m.numTensors} tensors, ${m.numBytes.toLocaleString('en-US')} bytes, ` +
        `${m.backendDataIds} backend buffers`,
    );
  }

  /** Last mark − first mark (zeros with fewer than two marks). */
  growth(): { steps: number; numTensors: number; numBytes: number; backendDataIds: number } {
    const a = this.marks[0];
    const b = this.marks[this.marks.length - 1];
    if (!a || !b) return { steps: 0, numTensors: 0, numBytes: 0, backendDataIds: 0 };
    return {
      steps: b.step - a.step,
      numTensors: b.numTensors - a.numTensors,
      numBytes: b.numBytes - a.numBytes,
      backendDataIds: b.backendDataIds - a.backendDataIds,
    };
  }

  summary(): string {
    const g = this.growth();
    const [a, b] = [this.marks[0], this.marks[this.marks.length - 1]];
    if (!a || !b || g.steps === 0) return 'check leaks: fewer than two marks (train longer than --check-leaks steps)';
    const flat = g.numTensors === 0 && g.numBytes === 0 && g.backendDataIds === 0;
    return flat
      ? `check leaks: flat from step ${a.step} to ${b.step} (${b.numTensors} tensors, ${b.numBytes.toLocaleString('en-US')} bytes, ${b.backendDataIds} backend buffers)`
      : `check leaks: GROWTH from step ${a.step} to ${b.step}: ${g.numTensors >= 0 ? '+' : ''}${g.numTensors} tensors, ` +
          `${g.numBytes >= 0 ? '+' : ''}${g.numBytes.toLocaleString('en-US')} bytes, ${g.backendDataIds >= 0 ? '+' : ''}${g.backendDataIds} backend buffers`;
  }
}
