// The measured loop, shared by every call benchmark so that variants differ only in `f`.

let sink = 0;

/** Calls f(i, small) n times and returns nanoseconds per call. */
export function timeCalls(f, n) {
  let acc = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) acc = (acc + f(i, acc & 7)) | 0;
  const t1 = process.hrtime.bigint();
  sink ^= acc;
  return Number(t1 - t0) / n;
}

/**
 * One sample. Warm-up doubles the batch until one takes 20 ms (so the loop and \`f\` reach
 * optimized code), sizes batches to about 50 ms, then returns the fastest of five: on a
 * shared machine other load only ever adds time, so the minimum is the steadiest estimate
 * of the call's own cost. No forced GC in between: it sent V8 back to slower tiers for a
 * few batches in about one process in three (Node 20).
 */
export function sampleCalls(f) {
  let n = 100_000;
  let ns = timeCalls(f, n);
  while (ns * n < 20e6) {
    n *= 2;
    ns = timeCalls(f, n);
  }
  n = Math.ceil(50e6 / ns);
  timeCalls(f, n);
  const xs = [];
  for (let b = 0; b < 5; b++) xs.push(timeCalls(f, n));
  if (sink === 0.5) console.log(sink);
  return Math.min(...xs);
}
