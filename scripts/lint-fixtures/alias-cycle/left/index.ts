import { right } from '@dlm/fixture-right';

export const left = (): string => 'left' + right.length;
