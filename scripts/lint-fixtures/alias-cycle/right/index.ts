import { left } from '@dlm/fixture-left';

export const right = 'right';
export const both = (): string => left() + right;
