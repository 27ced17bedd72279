// Checker for the Diffusion-LM discrete β cases of schedules.json (`dlm_*`), for the
// schedules.json dispatcher to route to. Inputs: schedule_name, num_diffusion_timesteps T,
// indices. Every output `<array>` is that GaussianDiffusion.__init__ array at `indices`;
// `<array>_full` is the whole array, `<array>_last` its last element, `betas_sum` Σβ.
// All host float64 (no float32 cast on this path) → the file's tolerance.
// Σβ is a plain left-to-right sum; numpy's pairwise sum differs by far less than the tolerance.
import { discreteBetaSchedule, type DiffusionTables } from '@dlm/schedules';
import { expectClose, type Checker } from '../harness.ts';

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

function tableOf(tables: DiffusionTables, snake: string, caseName: string): Float64Array {
  const t = (tables as unknown as Record<string, Float64Array | undefined>)[camel(snake)];
  if (!t)
    throw new Error(
      `${caseName}: output "${snake}" names no discrete schedule table (known: ${Object.keys(tables).join(', ')})`,
    );
  return t;
}

export const checkDiscreteBetaSchedule: Checker = (c, file) => {
  const {
    schedule_name: name,
    num_diffusion_timesteps: T,
    indices,
  } = c.inputs as { schedule_name: string; num_diffusion_timesteps: number; indices: number[] };
  const s = discreteBetaSchedule(String(name), Number(T));
  for (const [key, expected] of Object.entries(c.outputs)) {
    let got: number | number[];
    if (key === 'betas_sum') got = s.tables.betas.reduce((a, b) => a + b, 0);
    else if (key.endsWith('_full')) got = Array.from(tableOf(s.tables, key.slice(0, -5), c.name));
    else if (key.endsWith('_last')) {
      const t = tableOf(s.tables, key.slice(0, -5), c.name);
      got = t[t.length - 1]!;
    } else {
      const t = tableOf(s.tables, key, c.name);
      got = indices.map((i) => t[i]!);
    }
    expectClose(`${c.name}.${key}`, got, expected, file.tolerance);
  }
};
