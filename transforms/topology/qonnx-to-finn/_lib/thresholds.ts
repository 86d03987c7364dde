// Exact thresholds for a monotone step function of a float32 input: for each level m, the smallest float32 x
// with f(x) ≥ m, found by bisection over the ordered float32 bit patterns. Exact by construction (no
// analytic rounding-boundary formula to get wrong at ties): MultiThreshold's `x ≥ t` then counts exactly the
// levels the quantizer reaches, for every float32 input.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Order-preserving map of float32 values (no NaN) to integers: −inf → lowest, +inf → highest. */
function keyOf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  return bits & 0x80000000 ? -(bits & 0x7fffffff) : bits;
}

function valueOf(key: number): number {
  u32[0] = key < 0 ? (0x80000000 | -key) >>> 0 : key;
  return f32[0]!;
}

const KEY_NEG_INF = keyOf(-Infinity);
const KEY_POS_INF = keyOf(Infinity);

/**
 * The smallest float32 x with f(x) ≥ level, where f is non-decreasing over float32 inputs. −inf when every
 * input reaches the level; +inf when only +inf does; undefined when not even +inf does. −0 is returned as
 * +0 (they compare equal).
 */
export function smallestInputReaching(f: (x: number) => number, level: number): number | undefined {
  if (f(-Infinity) >= level) return -Infinity;
  if (!(f(Infinity) >= level)) return undefined;
  let lo = KEY_NEG_INF; // f(lo) < level
  let hi = KEY_POS_INF; // f(hi) ≥ level
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (f(valueOf(mid)) >= level) hi = mid;
    else lo = mid;
  }
  const t = valueOf(hi);
  return t === 0 ? 0 : t;
}
