// The driver's monitor: packets and their latency (quarter-octave histogram), batches and their
// sizes. The same module runs in the driver's thread (direct binding) or in an isolated worker
// (message binding); flush() hands over what was aggregated since the last flush.
const BUCKETS = 160;

export function bucketOf(ns) {
  return ns <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(ns) * 4));
}

/** The lower bound of a bucket, in ns. */
export function bucketValue(b) {
  return Math.round(2 ** (b / 4));
}

export function createMonitor() {
  let packets = 0;
  let batches = 0;
  let batched = 0;
  let hist = new Array(BUCKETS).fill(0);
  return {
    handle(ev) {
      if (ev.probe.func === 'deliver') {
        packets++;
        hist[bucketOf(ev.args[0])]++;
      } else if (ev.probe.func === 'batch') {
        batches++;
        batched += ev.args[0];
      }
    },
    flush() {
      const out = { packets, batches, batched, hist };
      packets = batches = batched = 0;
      hist = new Array(BUCKETS).fill(0);
      return out;
    },
  };
}

/** Sums flushes; quantiles from the histogram (a bucket's lower bound, ±19 %). */
export class Telemetry {
  packets = 0;
  batches = 0;
  batched = 0;
  hist = new Array(BUCKETS).fill(0);

  merge(d) {
    this.packets += d.packets;
    this.batches += d.batches;
    this.batched += d.batched;
    for (let i = 0; i < BUCKETS; i++) this.hist[i] += d.hist[i];
  }

  quantile(q) {
    const total = this.hist.reduce((a, b) => a + b, 0);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.hist[i];
      if (seen >= q * total && total > 0) return bucketValue(i);
    }
    return 0;
  }
}
