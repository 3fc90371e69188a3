/**
 * Edit distance counting a swap of neighbours as one edit (optimal string alignment), so
 * `cuont` is one edit from `count`. Bounded: returns `limit + 1` once it is exceeded.
 */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The candidates nearest to `name`, best first; a typo may cost at most a third of the name. */
export function nearest(name: string, candidates: Iterable<string>, max = 1): string[] {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const scored: [number, string][] = [];
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), limit);
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
  return scored.slice(0, max).map((s) => s[1]);
}

/** `; did you mean `count`?` for the nearest candidate, or '' when none is near; the CLI quotes with '. */
export function didYouMean(name: string, candidates: Iterable<string>, quote = '`'): string {
  const best = nearest(name, candidates)[0];
  return best === undefined ? '' : `; did you mean ${quote}${best}${quote}?`;
}
