// Checkers for schedules.json. (Being written: until then every case of the file fails.)
import type { Dispatcher } from '../harness.ts';

export const schedules: Dispatcher = {
  file: 'schedules.json',
  route: () => undefined,
};
