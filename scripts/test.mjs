#!/usr/bin/env node
// Runs every test/**/*.test.ts, each file in its own Node (through tsx), a few at a time, each
// under a time limit: a file that hangs is killed with everything it started and counted as
// failed, so one stuck child can never hold the whole run. Extra args narrow by substring.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'golden') continue;
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`scripts/test.mjs: no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const node = process.env.MSCOPE_TEST_NODE ?? process.execPath;
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
const jobs = Math.max(1, Number(process.env.MSCOPE_TEST_JOBS ?? 2));
const fileLimitMs = Math.max(1, Number(process.env.MSCOPE_TEST_FILE_LIMIT_S ?? 300)) * 1000;
// The whole run's limit: CI runs this once per Node line and gives up after 90 minutes in all.
const runLimitMs = Math.max(1, Number(process.env.MSCOPE_TEST_RUN_LIMIT_S ?? 1200)) * 1000;
// Worker threads and host processes load the built dist/ (tests run after the build): a
// worker that had to register tsx and load the sources again starts several times slower.
const env = { ...process.env, MSCOPE_BUILT_THREADS: '1' };

const started = Date.now();
const results = [];
let interrupted = false;
const running = new Set();

function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // Its own process group, so a time-out or ^C takes the programs its tests started too.
    const child = spawn(node, ['--import', 'tsx', '--test-reporter=spec', file], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, fileLimitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      killGroup(child);
      const ms = Date.now() - t0;
      const ok = code === 0 && !timedOut;
      const status = timedOut ? `TIMED OUT after ${fileLimitMs / 1000} s` : ok ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`;
      process.stdout.write(`\n── ${file}: ${status}, ${(ms / 1000).toFixed(1)} s\n${Buffer.concat(chunks).toString()}`);
      results.push({ file, ok, status, ms });
      resolve();
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (e) {
    if (e.code !== 'ESRCH') throw e;
  }
}

function stopAll(why) {
  if (interrupted) return;
  interrupted = why;
  for (const c of running) killGroup(c);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(`interrupted (${signal})`));
setTimeout(() => stopAll(`stopped: the run took over ${runLimitMs / 1000} s`), runLimitMs).unref();

const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length > 0 && !interrupted) await runFile(queue.shift());
  }),
);

const failed = results.filter((r) => !r.ok);
const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 8);
console.log(`\n── slowest files: ${slowest.map((r) => `${r.file} ${(r.ms / 1000).toFixed(1)} s`).join(', ')}`);
console.log(
  `── ${results.length} of ${files.length} test files run on Node ${nodeVersion} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${results.length - failed.length} passed, ${failed.length} failed`,
);
for (const r of failed) console.log(`   ${r.file}: ${r.status}`);
if (interrupted) console.log(`── ${interrupted}; not run: ${queue.length} files`);
process.exit(failed.length === 0 && !interrupted && results.length === files.length ? 0 : 1);
