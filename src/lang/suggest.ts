/** editDistance's three rows, reused: it runs once per probe name when a description matched none. */
let rows = new Int32Array(96);
const bag = new Int32Array(128);

/**
 * A lower bound of the edit distance in linear time: characters one string has and the other
 * lacks, counted in 128 buckets (an edit changes each side's excess by at most one, a swap not
 * at all; characters sharing a bucket only lower the bound). Most probe names are ruled out by
 * it before the quadratic table.
 */
function bagDistance(a: string, b: string): number {
  bag.fill(0);
  for (let i = 0; i < a.length; i++) bag[a.charCodeAt(i) & 127]!++;
  for (let i = 0; i < b.length; i++) bag[b.charCodeAt(i) & 127]!--;
  let more = 0;
  let fewer = 0;
  for (let k = 0; k < 128; k++) {
    const d = bag[k]!;
    if (d > 0) more += d;
    else fewer -= d;
  }
  return more > fewer ? more : fewer;
}

/**
 * Edit distance counting a swap of neighbours as one edit (optimal string alignment), so
 * `cuont` is one edit from `count`. Bounded: past `limit` it returns some larger number. Rows live
 * in one reused typed array: an unmatched `fn` description is compared with every probe name of
 * the program at exit (7200 names for 300 modules took 210 ms with fresh arrays per call).
 */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit || bagDistance(a, b) > limit) return limit + 1;
  const n = b.length;
  const w = n + 1;
  if (rows.length < 3 * w) rows = new Int32Array(6 * w);
  const r = rows;
  // Offsets of the rows two back, one back and current.
  let back2 = 0;
  let back1 = w;
  let cur = 2 * w;
  for (let j = 0; j <= n; j++) r[back1 + j] = j;
  for (let i = 1; i <= a.length; i++) {
    r[cur] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = r[back1 + j - 1]! + (ai === bj ? 0 : 1);
      const up = r[back1 + j]! + 1;
      if (up < d) d = up;
      const left = r[cur + j - 1]! + 1;
      if (left < d) d = left;
      if (j > 1 && aPrev === bj && ai === b.charCodeAt(j - 2)) {
        const swap = r[back2 + j - 2]! + 1;
        if (swap < d) d = swap;
      }
      r[cur + j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    const t = back2;
    back2 = back1;
    back1 = cur;
    cur = t;
  }
  return r[back1 + n]!;
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
