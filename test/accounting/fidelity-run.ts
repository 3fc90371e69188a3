import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuClockKind } from '../../src/accounting/cpu-clock.js';
import { acct } from '../../src/accounting/index.js';
import { runPlans, type Plan } from './harness.js';

/**
 * One fidelity run, in its own process so its clock sees only its own work: prints one JSON
 * line. Usage: fidelity-run.ts N [misattribute]. Started by fidelity.test.ts, with
 * --single-threaded (see there).
 */
const dir = mkdtempSync(join(tmpdir(), 'mscope-fidelity-'));
acct.enable({ http: false, cpuClock: 'thread' });
/** With the process's clock the libuv threadpool's CPU lands in whatever segment runs. */
const allowance = cpuClockKind() === 'thread' ? 0 : 1e6;

function plans(n: number, round: number): Plan[] {
  const out: Plan[] = [];
  for (let i = 0; i < n; i++) {
    // Different amounts per activity, so work charged to the wrong one shows.
    const files = Array.from({ length: 1 + (i % 2) }, (_, k) => {
      const size = 1000 + 37 * i + 4096 * k;
      const path = join(dir, `f${n}-${i}-${k}`);
      writeFileSync(path, Buffer.alloc(size, i % 251));
      return { path, size };
    });
    out.push({
      token: `act-${n}-${round}-${i}`,
      // About 10 ms each, so that 5 % covers the noise of a shared machine.
      bursts: [3, 3, 3 + (i % 4) * 0.5],
      files,
      sleepsMs: Array.from({ length: i % 3 }, () => 2),
      dnsLookups: i % 2,
    });
  }
  return out;
}

const shapeOf = (p: Plan): string => `${p.files.length}/${p.sleepsMs.length}/${p.dnsLookups}`;

/**
 * The JS an activity runs besides its bursts (readFile's promise steps, the lookup, our own
 * hooks: ~0.3 ms here), measured by running the same plan with no bursts, alone, after a
 * warm-up (first calls compile lazily: dns alone ~9 ms). Its median is part of what it did.
 */
async function baseline(plan: Plan): Promise<number> {
  const runs: number[] = [];
  for (let k = 0; k < 7; k++) {
    const [o] = await runPlans([{ ...plan, token: `base-${k}-${plan.token}`, bursts: [] }]);
    runs.push(o!.record.cpu_ns);
  }
  return runs.sort((a, b) => a - b)[3]!;
}

/** One run of N activities: exact fields are asserted, CPU misses are returned. */
async function attempt(n: number, round: number, shapes: Map<string, number>): Promise<string[]> {
  const ps = plans(n, round);
  for (const p of ps) if (!shapes.has(shapeOf(p))) shapes.set(shapeOf(p), await baseline(p));
  const outcomes = await runPlans(ps);
  const misses: string[] = [];
  let did = 0;
  let charged = 0;
  let gc = 0;
  const dev: number[] = [];
  for (const { plan, record, burnedNs } of outcomes) {
    assert.ok(record, `no record for ${plan.token}`);
    assert.equal(
      record.fs_bytes,
      plan.files.reduce((s, f) => s + f.size, 0),
      `${plan.token}: fs_bytes`,
    );
    assert.equal(record.fs_count, plan.files.length, `${plan.token}: fs_count`);
    assert.equal(record.dns_count, plan.dnsLookups, `${plan.token}: dns_count`);
    assert.equal(record.timer_count, plan.sleepsMs.length, `${plan.token}: timer_count`);
    const slept = plan.sleepsMs.reduce((s, m) => s + m, 0) * 1e6;
    assert.ok(record.timer_ns >= slept * 0.99, `${plan.token}: timer_ns ${record.timer_ns} < slept ${slept}`);
    assert.ok(record.latency_ns >= record.cpu_ns, `${plan.token}: latency below cpu`);
    const expected = burnedNs + shapes.get(shapeOf(plan))!;
    // GC pauses inside its segments are on-CPU time too, and shown apart as gc_ns.
    const tol = Math.max(0.05 * expected, 0.2e6) + record.gc_ns + allowance;
    if (Math.abs(record.cpu_ns - expected) > tol)
      misses.push(`${plan.token}: cpu_ns ${record.cpu_ns} vs ${expected.toFixed(0)} (±${tol.toFixed(0)})`);
    // The typical deviation beyond what this clock cannot see apart (GC, Node 20's threadpool).
    dev.push(Math.max(0, Math.abs(record.cpu_ns - expected) - record.gc_ns - allowance) / expected);
    did += expected;
    charged += record.cpu_ns;
    gc += record.gc_ns;
  }
  // Everything done was charged somewhere, and only once.
  if (Math.abs(charged - did) > Math.max(0.05 * did, 0.2e6) + gc) misses.push(`total cpu ${charged} vs ${did}`);
  dev.sort((a, b) => a - b);
  report.runs.push({ median: dev[dev.length >> 1]!, max: dev[dev.length - 1]!, misses: misses.length });
  return misses;
}

const report = {
  n: 0,
  clock: cpuClockKind() === 'thread' ? 'threadCpuUsage' : 'cpuUsage',
  runs: [] as { median: number; max: number; misses: number }[],
  misses: [] as string[],
  wrongDetected: true,
};

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  report.n = n;
  const shapes = new Map<string, number>();
  if (process.argv[3] === 'misattribute') {
    // Activity 0's bursts run inside activity 1: its record must come out short.
    const [a, b] = plans(2, 9) as [Plan, Plan];
    shapes.set(shapeOf(a), await baseline(a));
    const outcomes = await runPlans([
      { ...a, bursts: [] },
      { ...b, bursts: [...b.bursts, ...a.bursts] },
    ]);
    const expectedA = shapes.get(shapeOf(a))! + a.bursts.reduce((s, x) => s + x, 0) * 1e6;
    report.wrongDetected = Math.abs(outcomes[0]!.record.cpu_ns - expectedA) > Math.max(0.05 * expectedA, 0.2e6) + allowance;
  } else {
    // CPU may miss in a run where the shared machine interfered (CI runs two test files at
    // once on two cores); a misattribution misses in every run. At N = 100, one activity in a
    // hundred may be off in the best run: the misattribution check below has its own test.
    const allowed = Math.floor(n / 100);
    for (let round = 0; round < 5; round++) {
      const misses = await attempt(n, round, shapes);
      report.misses = misses.length <= allowed ? [] : misses;
      if (report.misses.length === 0) break;
    }
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

main()
  .catch((e: unknown) => {
    process.stdout.write(JSON.stringify({ ...report, error: String(e instanceof Error ? e.message : e) }) + '\n');
  })
  .finally(() => {
    acct.disable();
    rmSync(dir, { recursive: true, force: true });
  });
