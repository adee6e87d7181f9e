/**
 * Every linter's vectors, by linter name (the dictionary's names, plus the character-set linters
 * and yyyymmd0).
 */
import { COUPON_VECTORS } from './coupon.ts';
import { CORE_VECTORS } from './core.ts';
import type { Vector } from './types.ts';
import { VALUE_VECTORS } from './values.ts';

export type { Vector } from './types.ts';

export const LINTER_VECTORS: Readonly<Record<string, readonly Vector[]>> = { ...CORE_VECTORS, ...VALUE_VECTORS, ...COUPON_VECTORS };
