#!/usr/bin/env node
// `node bench/attach-latency.mjs [ROUNDS]`: attach to a plain `node` HTTP server ROUNDS times and
// print, per round, the time from starting `mscope attach` to the first probe event in the
// process (a profile-997 clause's walltimestamp), and mscope's own SIGUSR1-to-attached figure.
// On a loaded machine wall time says little: it also prints the CPU time the attached process
// and mscope spent (utime + stime from /proc), which the load does not inflate.
// Not a *.bench.mjs: there is no baseline to compare with; docs/benchmarks.md quotes its output.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const apps = fileURLToPath(new URL('../test/fixtures/attach/', import.meta.url));
const rounds = Number(process.argv[2] ?? 10);

function run(cmd, args, cwd) {
  const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise((resolve) => child.once('close', (status) => resolve({ status, out, err })));
  return { child, done, out: () => out };
}

const TICK_MS = 10; // USER_HZ 100
/** utime + stime (fields 14, 15), or with `children` cutime + cstime (16, 17), in ms. */
function cpuMs(pid, children = false) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const i = children ? 13 : 11;
  return (Number(f[i]) + Number(f[i + 1])) * TICK_MS;
}

const firsts = [];
const attaches = [];
const targetCpu = [];
const mscopeCpu = [];
for (let i = 0; i < rounds; i++) {
  const app = run(process.execPath, ['server.cjs'], apps);
  while (!app.out().includes('listening')) await new Promise((r) => setTimeout(r, 10));
  const cpuBefore = cpuMs(app.child.pid);
  const started = BigInt(Date.now()) * 1_000_000n;
  // The shell reports mscope's CPU time once it has waited for it.
  const program = 'profile-997 { printf("%d\\n", walltimestamp); exit(0); }';
  const m = run(
    'sh',
    ['-c', `"$0" bin/mscope.js attach ${app.child.pid} -q -e '${program}'; cat /proc/$$/stat >&2`, process.execPath],
    root,
  );
  const r = await m.done;
  targetCpu.push(cpuMs(app.child.pid) - cpuBefore);
  const shStat = r.err.trim().split('\n').at(-1);
  const f = shStat.slice(shStat.lastIndexOf(')') + 2).split(' ');
  mscopeCpu.push((Number(f[13]) + Number(f[14])) * TICK_MS);
  app.child.stdin.end();
  await app.done;
  const first = Number(BigInt(r.out.trim().split('\n')[0]) - started) / 1e6;
  const attached = Number(/in (\d+) ms/.exec(r.err)?.[1]);
  firsts.push(first);
  attaches.push(attached);
  console.log(
    `round ${i + 1}: first event ${first.toFixed(0)} ms after mscope started; mscope: attached in ${attached} ms; CPU: process ${targetCpu.at(-1)} ms, mscope ${mscopeCpu.at(-1)} ms`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median of ${rounds}: first event ${median(firsts).toFixed(0)} ms (min ${Math.min(...firsts).toFixed(0)}, max ${Math.max(...firsts).toFixed(0)}); ` +
    `SIGUSR1 to attached ${median(attaches)} ms; CPU: process ${median(targetCpu)} ms, mscope ${median(mscopeCpu)} ms; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
);
