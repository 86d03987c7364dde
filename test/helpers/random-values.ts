/** Random stream elements for the per-kernel HDL tests. */
import { datatype } from '../../src/estimate/index.js';

/** A random value of datatype `dt` (BIPOLAR: ±1), drawn with `r` (an rng from hdl-kernel.ts). */
export function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

/** `n` random values of datatype `dt`. */
export function randomValues(n: number, dt: string, r: (lo: number, hi: number) => number): number[] {
  return Array.from({ length: n }, () => randomValue(dt, r));
}
