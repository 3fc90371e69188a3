// The probe-effect line checked: the time it estimates an mscope run added to the application's
// thread, against the difference measured on that thread, for each binding.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const title = 'probe effect: the estimate of every run against the measured difference';
export const description = `
The workload \`bench/fixtures/effect-workload.mjs\` calls \`work(i)\` (about a microsecond of
arithmetic) 300,000 times in bursts of 1,000 with a turn of the event loop between, and prints
its main thread's CPU time for them (\`process.threadCpuUsage\`, on Node 20 the thread's
schedstat). Each sample runs it plainly and under \`mscope run -b BINDING -e 'fn::work:entry {
@ = count(); }'\` with a fresh cache directory, so that mscope calibrates again. \`measured\`:
(traced − plain thread CPU) / 300,000. \`estimated\`: the ns/event of that run's probe-effect
line, which is what the line multiplies by the events fired. The ratio column is estimated /
measured; the target is 1 ± 20 %. The calibration (src/consumer/calibration.ts) runs the same
prologue and the same compiled clause through a function V8 compiles on its own, as it compiles
\`work\` once probed, for direct by CPU means so that collections count.

What a direct event cost was made of (Node 20, \`perf\` with \`--perf-prof\`, and bursts of
\`work\` alternated with an unprobed twin in the same process): the path (prologue, \`enter\`, a
\`ProbeEvent\`, \`fireProbe\`, \`DirectBinding.deliver\`, the clause's \`record0\`), all inlined
by V8 into \`work\`, about 20 ns; collections of what it allocates (176 B an event: the event,
120 B, and the arguments array; 28 scavenges in the workload's window), about 40 ns; and, not in
the calibration, \`work\` no longer inlined into its caller with its own floating-point \`%\`
loop (x87 \`fprem\`) running slower, about 65 ns a call: the same bursts with integer arithmetic
instead show 21-23 ns for the path (direct) against 88-95 with \`%\`, and the shm and message
bindings lose 100-200 ns there too. That part depends on the application's code, not on the
probe's, and the calibration cannot know it.

Since then (issue 16) a clause that keeps no event and reads no argument, as this one, is linked
saying so (docs/BINDINGS.md), and its events allocate nothing: the probe reuses one event and
V8 never builds the arguments array (0 scavenges in 10 M calls of \`add\` with 16 MB
semi-spaces, against 112 before), so the collections part is gone; the path is left (in the
\`calls\` loop, side by side with the build before it at load average 64: 15.9 ns a call
against 19.5 for \`@[probefunc] = count()\`; 10.4 for a counting TypeScript monitor that
declares it, where one that does not still costs 16.0, 15.3 before; \`disabled\` 1.7).
The rows below are from before that change.
`;
export const unit = 'ns/event';
export const rounds = 5;
export const isolate = false;

const root = fileURLToPath(new URL('..', import.meta.url));
const WORKLOAD = join(root, 'bench/fixtures/effect-workload.mjs');
const MSCOPE = join(root, 'bin/mscope.js');
const EVENTS = 300_000;

export function cases() {
  return ['direct', 'shm', 'message'].map((b) => ({
    name: b,
    title: `${b} binding: ns per event`,
    baseline: 'measured',
    variants: ['measured', 'estimated'],
  }));
}

const found = [];
export function notes() {
  return found;
}

function workloadCpu(result) {
  const m = /cpu_ns=(\d+)/.exec(result.stdout);
  if (result.status !== 0 || m === null) throw new Error(`probe-effect bench: the workload failed: ${result.stderr}`);
  return Number(m[1]);
}

export async function sample(binding, variant) {
  const env = { ...process.env, EFFECT_EVENTS: String(EVENTS) };
  const cache = mkdtempSync(join(tmpdir(), 'mscope-effect-'));
  try {
    const plain = variant === 'measured' ? workloadCpu(spawnSync(process.execPath, [WORKLOAD], { env, encoding: 'utf8' })) : 0;
    const traced = spawnSync(
      process.execPath,
      [MSCOPE, 'run', '-b', binding, '-e', 'fn::work:entry { @ = count(); }', '--', process.execPath, WORKLOAD],
      {
        env: { ...env, MSCOPE_CACHE_DIR: cache },
        encoding: 'utf8',
      },
    );
    const cpu = workloadCpu(traced);
    const line = /probe effect: .* \(\w+ (\d+) ns\/event\), (\d+) drops?/.exec(traced.stderr);
    if (line === null) throw new Error(`probe-effect bench: no probe-effect line in ${traced.stderr}`);
    if (Number(line[2]) > 0) found.push(`${binding}: events were dropped; a dropped event costs less than a delivered one`);
    return variant === 'estimated' ? Number(line[1]) : (cpu - plain) / EVENTS;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
