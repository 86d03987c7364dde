/** Divisors of a positive integer, ascending: the legal values of a parallelism parameter. */
export function divisors(n: number): number[] {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d === 0) {
      lo.push(d);
      if (d * d !== n) hi.unshift(n / d);
    }
  }
  return [...lo, ...hi];
}
