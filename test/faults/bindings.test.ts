import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  BINDINGS,
  MONITOR,
  assertReportedOnce,
  assertSameFate,
  countedEvents,
  firedEvents,
  reportedDrops,
  scratch,
  traced,
  untraced,
  type Result,
} from './harness.js';

/**
 * Issue 10's fault table: each fault × each binding. The program's stdout and status are
 * those of an untraced run, the fault is reported on stderr in one line, and every event
 * fired is either counted by the monitor or reported as dropped.
 */
type Binding = (typeof BINDINGS)[number];

interface Case {
  readonly name: string;
  /** Program arguments: EVENTS ENDING (test/fixtures/faults/app.cjs). */
  readonly args: readonly string[];
  /** test/fixtures/faults/monitor.mjs's FAULT. */
  readonly fault: string;
  /** The one line that reports the fault, per binding; null: the program reports its own. */
  readonly report: (b: Binding) => RegExp | null;
  /** Why a binding cannot survive this fault (the cell is skipped and listed in the issue). */
  readonly fatal?: Partial<Record<Binding, string>>;
  /** False when nothing can account for the events (SIGKILL leaves no agent to report). */
  readonly accounted?: boolean;
  /** A healthy monitor and a ring that cannot fill: nothing may be dropped (the exit drain). */
  readonly lossless?: boolean;
  /** The monitor faults on every event: the reported count must be the events fired. */
  readonly faultsPerEvent?: boolean;
  /** The bindings this row runs under, when not all three. */
  readonly only?: Binding | readonly Binding[];
}

const faulted = (what: string): RegExp => new RegExp(`^mscope: monitor \\S*monitor\\.mjs faulted \\d+ times? \\(first: .*${what}`);
const SHARES_FATE = 'the direct binding runs the monitor on the program thread: it shares its fate';

const CASES: readonly Case[] = [
  {
    name: 'monitor throws on every event',
    args: ['3000', 'return'],
    fault: 'throw',
    report: () => faulted('Error: monitor fault'),
    faultsPerEvent: true,
  },
  {
    name: 'monitor loops forever',
    args: ['3000', 'return'],
    fault: 'loop',
    report: () => faulted('did not finish'),
    fatal: { direct: SHARES_FATE },
  },
  {
    name: 'monitor exhausts its memory',
    args: ['3000', 'return'],
    fault: 'oom',
    // Out of memory while the program exits, the worker only shows that it stopped answering.
    report: () => faulted('(memory limit|out of memory|did not finish)'),
    fatal: { direct: SHARES_FATE },
  },
  {
    name: 'monitor calls process.exit()',
    args: ['3000', 'return'],
    fault: 'exit',
    report: () => faulted('exited with code 7'),
    fatal: { direct: SHARES_FATE },
  },
  {
    name: 'monitor crashes (an uncaught throw from a microtask)',
    args: ['3000', 'return'],
    fault: 'crash',
    // Seen while the program runs, the error; while it exits, the worker's exit.
    report: () => faulted('(Error: monitor crashed|exited with code 1)'),
    fatal: { direct: SHARES_FATE },
  },
  { name: 'program throws', args: ['3000', 'throw'], fault: 'none', report: () => null, lossless: true },
  { name: 'program calls process.exit()', args: ['3000', 'exit'], fault: 'none', report: () => null, lossless: true },
  { name: 'program is killed by SIGKILL', args: ['3000', 'kill'], fault: 'none', report: () => null, accounted: false },
  { name: 'program never yields (busy loop)', args: ['300000', 'busy'], fault: 'none', report: () => null },
  // The fan-in of 50 traced processes once, under the binding with a ring per process; the others with fewer.
  { name: 'program forks 50 children', args: ['1000', 'fork', '50'], fault: 'none', report: () => null, only: 'shm' },
  { name: 'program forks 10 children', args: ['1000', 'fork', '10'], fault: 'none', report: () => null, only: ['direct', 'message'] },
];

const plain = new Map<string, Promise<Result>>();
function baseline(args: readonly string[]): Promise<Result> {
  const key = args.join(' ');
  if (!plain.has(key)) plain.set(key, untraced(args));
  return plain.get(key)!;
}

for (const c of CASES) {
  for (const b of BINDINGS) {
    if (c.only !== undefined && !([] as Binding[]).concat(c.only).includes(b)) continue;
    const fatal = c.fatal?.[b];
    test(`${b} binding: ${c.name}`, { skip: fatal }, async () => {
      const dir = scratch();
      const out = join(dir, 'monitor.txt');
      const env = { FAULT: c.fault, FAULTED: join(dir, 'faulted') };
      const [run, expected] = await Promise.all([traced(['-q', '-o', out, '-b', b, '--monitor', MONITOR], c.args, env), baseline(c.args)]);
      assertSameFate(run, expected);
      const report = c.report(b);
      const line = report === null ? '' : assertReportedOnce(run.stderr, report);
      const fired = firedEvents(expected.stdout);
      if (c.faultsPerEvent === true) assert.match(line, new RegExp(` faulted ${fired} times `));
      const counted = countedEvents(out);
      const drops = reportedDrops(run.stderr);
      if (c.lossless === true) assert.equal(drops, 0, run.stderr);
      if (c.accounted === false) assert.ok(counted + drops <= fired, run.stderr);
      else assert.equal(counted + drops, fired, `counted ${counted} + dropped ${drops} != fired ${fired}; stderr:\n${run.stderr}`);
    });
  }
}
