import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadCpuClock } from '../../src/accounting/cpu-clock.js';
import { acct, type AcctRecord } from '../../src/accounting/index.js';

/** What one synthetic activity does, and so what its record must say. */
export interface Plan {
  token: string;
  /** CPU bursts in ms, each in its own synchronous segment. */
  bursts: number[];
  /** Files to read whole, with their sizes. */
  files: { path: string; size: number }[];
  sleepsMs: number[];
  dnsLookups: number;
}

export interface Outcome {
  plan: Plan;
  record: AcctRecord;
  /** What the activity measured itself spinning, in ns. */
  burnedNs: number;
}

/** The clock accounting reads with cpuClock 'thread'. */
const cpuNow = threadCpuClock();

/** Burns `ms` by that clock and returns what it burned, in ns. */
function burn(ms: number): number {
  const t0 = cpuNow();
  let x = 0;
  while (cpuNow() - t0 < ms * 1e6) x++;
  if (x < 0) throw new Error('unreachable');
  return cpuNow() - t0;
}

async function perform(plan: Plan): Promise<number> {
  let burned = 0;
  const steps = Math.max(plan.bursts.length, plan.files.length, plan.sleepsMs.length, plan.dnsLookups);
  for (let i = 0; i < steps; i++) {
    if (i < plan.bursts.length) burned += burn(plan.bursts[i]!);
    if (i < plan.files.length) await readFile(plan.files[i]!.path);
    if (i < plan.sleepsMs.length) await sleep(plan.sleepsMs[i]!);
    if (i < plan.dnsLookups) await lookup('localhost');
    // Yield so other activities' segments run between ours.
    await new Promise((r) => setImmediate(r));
  }
  return burned;
}

/** Runs every plan concurrently, interleaved on one loop, each as its own activity. */
export async function runPlans(plans: Plan[]): Promise<Outcome[]> {
  const records = new Map<string, AcctRecord>();
  const off = acct.onRecord((r) => records.set(r.token, r));
  try {
    const burned = await Promise.all(plans.map((p) => acct.run(p.token, () => perform(p))));
    return plans.map((plan, i) => ({ plan, record: records.get(plan.token)!, burnedNs: burned[i]! }));
  } finally {
    off();
  }
}
