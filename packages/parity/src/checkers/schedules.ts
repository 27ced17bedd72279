// Checkers for schedules.json.
// * Continuous SEDD/MDLM schedules (inputs.constructor = {class, knobs}, inputs.t [K]): total_noise,
//   rate_noise at every t, and where present sigma_max, sigma_min and importance_sampling_transformation.
//   Host float64 (@dlm/schedules) → the file's tolerance.
// * Diffusion-LM discrete β cases (inputs schedule_name + num_diffusion_timesteps): routed to
//   checkDiscreteBetaSchedule (discrete-beta-schedules.ts, @dlm/schedules' discrete tables).
// Nothing is read from case names: the class name and its arguments come from inputs.constructor.
import { buildSchedule, type NoiseSchedule } from '@dlm/schedules';
import { expectClose, type Checker, type Dispatcher, type FixtureCase } from '../harness.ts';
import { checkDiscreteBetaSchedule } from './discrete-beta-schedules.ts';

/** Reference class name → registry name (SEDD noise_lib.py and MDLM noise_schedule.py class names). */
const CLASS_TO_SCHEDULE: Record<string, string> = {
  LogLinearNoise: 'loglinear',
  GeometricNoise: 'geometric',
  CosineNoise: 'cosine',
  CosineSqrNoise: 'cosinesqr',
  Linear: 'linear',
  LinearNoise: 'linear',
};

/** The schedule a fixture's `{class, ...knobs}` object describes (knob names are the reference ones). */
export function scheduleFromConstructor(spec: Record<string, unknown>): NoiseSchedule {
  const { class: cls, ...knobs } = spec;
  const name = CLASS_TO_SCHEDULE[String(cls)];
  if (!name)
    throw new Error(
      `no schedule for reference class ${String(cls)} (known: ${Object.keys(CLASS_TO_SCHEDULE).join(', ')})`,
    );
  return buildSchedule(name, knobs as Record<string, number>);
}

const continuous: Checker = (c, f) => {
  const s = scheduleFromConstructor(c.inputs.constructor as unknown as Record<string, unknown>);
  const t = c.inputs.t as number[];
  const out = c.outputs;
  const known = new Set(['total_noise', 'rate_noise', 'sigma_max', 'sigma_min', 'importance_sampling_transformation']);
  for (const k of Object.keys(out))
    if (!known.has(k)) throw new Error(`${c.name}: output "${k}" is not checked by the schedules checker`);
  expectClose(
    'total_noise',
    t.map((x) => s.totalNoise(x)),
    out.total_noise,
    f.tolerance,
  );
  expectClose(
    'rate_noise',
    t.map((x) => s.rate(x)),
    out.rate_noise,
    f.tolerance,
  );
  const extra = s as NoiseSchedule & { sigmaMax?: number; sigmaMin?: number };
  for (const [key, got] of [
    ['sigma_max', extra.sigmaMax],
    ['sigma_min', extra.sigmaMin],
  ] as const) {
    if (out[key] === undefined) continue;
    if (got === undefined) throw new Error(`${c.name}: schedule ${s.name} has no ${key}`);
    expectClose(key, got, out[key], f.tolerance);
  }
  if (out.importance_sampling_transformation !== undefined) {
    const ist = s.importanceSamplingTransformation;
    if (!ist) throw new Error(`${c.name}: schedule ${s.name} defines no importance_sampling_transformation`);
    expectClose(
      'importance_sampling_transformation',
      t.map((x) => ist(x)),
      out.importance_sampling_transformation,
      f.tolerance,
    );
  }
};

const isDiscreteBeta = (c: FixtureCase) =>
  c.inputs.schedule_name !== undefined && c.inputs.num_diffusion_timesteps !== undefined;

export const schedules: Dispatcher = {
  file: 'schedules.json',
  route(c) {
    if (isDiscreteBeta(c)) return checkDiscreteBetaSchedule;
    if (Object.hasOwn(c.inputs, 'constructor') && typeof c.inputs.constructor === 'object' && Array.isArray(c.inputs.t))
      return continuous;
    return undefined;
  },
};
