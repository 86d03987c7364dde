/** Seeded integers in [lo, hi] (xorshift32): the generator of the kernel test tables and the RTL fit table. */
export function seededInts(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0 || 1;
  return (lo, hi) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return lo + (s % (hi - lo + 1));
  };
}

/**
 * A small deterministic PRNG (mulberry32): the same seed gives the same sequence on every machine, so
 * generated fixtures, seeded test inputs and fuzz cases can be reproduced from a printed seed.
 * Not for anything that needs unpredictability.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
