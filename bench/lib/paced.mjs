// A call loop that leaves the consumer of a remote binding time to keep up: short timed
// batches with pauses between them, so that no event is dropped and the application
// thread's figure is the cost of recording an event, not of dropping one.
import { timeCalls } from './loop.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls f in batches of `batch` with `pauseMs` between them (10,000 per 20 ms offers at
 * most 500,000 events/s) and returns the fastest batch's ns per call after `warm` batches.
 */
export async function samplePaced(f, { batch = 10_000, pauseMs = 20, warm = 30, timed = 40 } = {}) {
  let best = Infinity;
  for (let b = 0; b < warm + timed; b++) {
    const ns = timeCalls(f, batch);
    if (b >= warm) best = Math.min(best, ns);
    await sleep(pauseMs);
  }
  return best;
}
