/** "Did you mean" suggestions: names that contain each other or are a couple of edits apart. */

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Up to `max` candidates close to `name` (case-insensitive), closest first. */
export function nearNames(name: string, candidates: Iterable<string>, max = 5): string[] {
  const want = name.toLowerCase();
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    const l = c.toLowerCase();
    const d = editDistance(l, want);
    if (d <= 2 || (want.length >= 3 && (l.includes(want) || want.includes(l)))) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1]).slice(0, max).map(([c]) => c);
}

/** ` (did you mean A, B?)`, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = nearNames(name, candidates);
  return close.length ? ` (did you mean ${close.join(', ')}?)` : '';
}
