import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cpuClockKind, cpuNs } from '../../src/core/index.js';

/** The steps cpuNs moves in while this thread spins, up to 40 of them or 400 ms of wall time. */
function steps(): number[] {
  const out: number[] = [];
  const until = Date.now() + 400;
  let last = cpuNs();
  while (out.length < 40 && Date.now() < until) {
    const t = cpuNs();
    if (t !== last) out.push(t - last);
    last = t;
  }
  return out.sort((a, b) => a - b);
}

it('cpuNs moves in small steps: vtime and the thread clock can time a 1 ms segment', () => {
  const s = steps();
  assert.ok(s.length >= 10, `cpuNs moved ${s.length} times in 400 ms of spinning`);
  const median = s[s.length >> 1]!;
  // A clock that advances only at scheduler ticks moves in 1-10 ms steps.
  assert.ok(median < 100_000, `cpuNs (${cpuClockKind()} clock) moves in ${median} ns steps`);
});

it('cpuNs is monotonic and counts this thread spinning', () => {
  const t0 = cpuNs();
  const w0 = Date.now();
  while (Date.now() - w0 < 30);
  const d = cpuNs() - t0;
  assert.ok(d > 0, `cpuNs advanced ${d} ns over 30 ms of spinning`);
  assert.ok(['thread', 'process'].includes(cpuClockKind()));
});
