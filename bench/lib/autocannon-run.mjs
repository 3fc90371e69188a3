// One autocannon run on a loopback server gives a throughput sample and a p99 sample; the
// benchmarks that report both load the server once per variant per round.
import autocannon from 'autocannon';

/** Loads `url` and resolves with autocannon's result and the p99 of every response's own duration (ms). */
export function autocannonRun(url, connections, seconds) {
  const ms = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds }, (err, out) => {
      if (err) return reject(err);
      const sorted = Float64Array.from(ms).sort();
      resolve({ out, p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] });
    });
    instance.on('response', (_client, _status, _bytes, duration) => ms.push(duration));
  });
}

/**
 * A benchmark's `sample` for a `throughput` case and a `p99` case: the runner asks for one case's
 * variants, then the next case's, every round; the p99 case takes the latency of the same
 * variant's throughput run in the same round. `load(variant)` resolves with `{ rps, p99 }`.
 */
export function throughputAndP99(bench, load) {
  const latest = new Map();
  return async (caseName, variant) => {
    if (caseName === 'p99') {
      const p99 = latest.get(variant);
      if (p99 === undefined) throw new Error(`${bench} bench: no throughput run of ${variant} to take p99 from`);
      latest.delete(variant);
      return p99;
    }
    const { rps, p99 } = await load(variant);
    latest.set(variant, p99);
    return rps;
  };
}
