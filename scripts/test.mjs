#!/usr/bin/env node
// Runs every test/**/*.test.ts, each file in its own Node, a few at a time, each under a time
// limit: a file that hangs is killed with everything it started and counted as failed, so one
// stuck child can never hold the whole run; before it is killed, its processes are described
// (scripts/hung-report.mjs) with its output. Extra args narrow by substring; with none, `npm run
// typecheck` and `npm run lint` run as jobs beside the files. The files run as
// JavaScript transpiled once per run (scripts/test-build.mjs) against the built dist/;
// MSCOPE_TEST_TSX=1 runs the sources through tsx instead, without needing a build.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { buildTests, removeBuild, staleBuild } from './test-build.mjs';
import { REPORT_SIGNAL, describeHung } from './hung-report.mjs';

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
// MSCOPE_TEST_ROOT: another folder of test files (the runner's own test runs a hanging one).
const files = find(process.env.MSCOPE_TEST_ROOT ?? 'test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`scripts/test.mjs: no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// A whole run (no filter) also makes `npm test`'s checks, as jobs beside the test files.
const checks = filters.length === 0 && process.env.MSCOPE_TEST_ROOT === undefined ? ['typecheck', 'lint'] : [];
const node = process.env.MSCOPE_TEST_NODE ?? process.execPath;
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
// One more file than the machine has cores at all times; and, while the CPUs sit idle (files
// waiting on timers, sockets and the programs they start: about half of their wall time on
// two cores), one more at a time, up to twice the cores and one. MSCOPE_TEST_JOBS fixes the count.
const cores = availableParallelism();
const fixedJobs = process.env.MSCOPE_TEST_JOBS === undefined ? null : Math.max(1, Number(process.env.MSCOPE_TEST_JOBS));
const jobs = fixedJobs ?? cores + 1;
const maxJobs = fixedJobs ?? 2 * cores + 1;
/** Idle share of the CPUs over which one more file starts, looked at every IDLE_LOOK_MS. */
const IDLE_TO_GROW = 0.3;
const IDLE_LOOK_MS = 500;
const fileLimitMs = Math.max(1, Number(process.env.MSCOPE_TEST_FILE_LIMIT_S ?? 300)) * 1000;
// The whole run's limit: CI runs this once per Node line and gives up after 90 minutes in all.
const runLimitMs = Math.max(1, Number(process.env.MSCOPE_TEST_RUN_LIMIT_S ?? 1200)) * 1000;
const throughTsx = process.env.MSCOPE_TEST_TSX === '1';

const started = Date.now();
if (!throughTsx) {
  const stale = staleBuild('.');
  if (stale.length > 0) {
    const more = stale.length > 1 ? ` and ${stale.length - 1} more` : '';
    console.error(`scripts/test.mjs: dist/ or lib/ is older than ${stale[0]}${more}: run \`npm run build\` (or set MSCOPE_TEST_TSX=1)`);
    process.exit(1);
  }
}
const build = throughTsx ? null : buildTests('.', files);
const compiled = new Map(files.map((f, i) => [f, build?.outputs[i]]));
// Every temporary file a test or a program it traces makes goes under one directory removed at
// the end: a run used to leave about thirty in /tmp. World-writable and sticky as /tmp is, since
// some tests run programs as another user.
const scratch = mkdtempSync(join(tmpdir(), 'mscope-test-tmp-'));
chmodSync(scratch, 0o1777);
const cpuDir = mkdtempSync(join(scratch, 'cpu-'));
const CPU_PRELOAD = new URL('./test-cpu.mjs', import.meta.url).href;
// Worker threads and host processes load the built dist/ (tests run after the build): a
// worker that had to register tsx and load the sources again starts several times slower.
// Every Node a test file starts writes a report on REPORT_SIGNAL, unless its test clears NODE_OPTIONS.
const reportDir = mkdtempSync(join(scratch, 'reports-'));
// No test talks TLS (loopback, plain http), and Node 20 reads NODE_EXTRA_CA_CERTS' bundle at
// every start: about 45 ms of CPU for each of the suite's thousands of Node processes.
const { NODE_EXTRA_CA_CERTS: _unusedCaBundle, ...inherited } = process.env;
const env = {
  ...inherited,
  TMPDIR: scratch,
  MSCOPE_BUILT_THREADS: '1',
  MSCOPE_TEST_RUNNER_PID: String(process.pid),
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --report-on-signal --report-signal=${REPORT_SIGNAL} --report-directory="${reportDir}"`.trim(),
};

const results = [];
let interrupted = false;
const running = new Set();

/** The command line that runs one test file. */
function testFileCommand(file) {
  // Source maps on, as tsx has them: stacks name the .ts files, dist/'s frames included.
  const args = throughTsx ? ['--import', 'tsx', file] : ['--enable-source-maps', compiled.get(file)];
  return [node, ['--import', CPU_PRELOAD, '--test-reporter=spec', ...args], {}];
}

/**
 * The checks `npm test` makes besides the test files, run as jobs of the same pool: the test
 * files wait on timers, sockets and children for about half their wall time, which the
 * checks' CPU fills. npm is a Node the CPU preload measures, its script's processes included.
 */
function checkCommand(script) {
  const preload = `--import ${CPU_PRELOAD}`;
  return ['npm', ['run', '--silent', script], { NODE_OPTIONS: `${env.NODE_OPTIONS} ${preload}` }];
}

function runJob({ name, index, command }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const cpuFile = join(cpuDir, String(index));
    const [program, args, extraEnv] = command(name);
    // Its own process group, so a time-out or ^C takes the programs its tests started too.
    const child = spawn(program, args, {
      env: { ...env, ...extraEnv, MSCOPE_TEST_CPU_FILE: cpuFile },
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
      describeHung(child.pid, reportDir)
        .then((text) => chunks.push(Buffer.from(text)))
        .finally(() => killGroup(child));
    }, fileLimitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      killGroup(child);
      const ms = Date.now() - t0;
      const cpu = existsSync(cpuFile) ? Number(readFileSync(cpuFile, 'utf8')) : null;
      const ok = code === 0 && !timedOut;
      const status = timedOut ? `TIMED OUT after ${fileLimitMs / 1000} s` : ok ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`;
      const cpuText = cpu === null ? '' : `, cpu ${cpu.toFixed(1)} s`;
      const output = Buffer.concat(chunks).toString();
      process.stdout.write(`\n── ${name}: ${status}, ${(ms / 1000).toFixed(1)} s${cpuText}\n${output}`);
      results.push({ file: name, ok, status, ms, cpu, failure: ok ? '' : failurePart(output) });
      resolve();
    });
  });
}

// What a failed file said about its failures, repeated after the summary so that the end of a
// long log (all a CI page may show) still says why: the spec reporter's closing list, else the tail.
function failurePart(output) {
  const at = output.lastIndexOf('✖ failing tests:');
  const part = at === -1 ? output : output.slice(at);
  return part.length > 8000 ? `…${part.slice(-8000)}` : part;
}

/** The machine's CPU time so far, idle and in all (/proc/stat's first line, in ticks); null without /proc. */
function cpuTimes() {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // idle and iowait
    return { idle: ticks[3] + ticks[4], total: ticks.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
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

// Longest first, by each file's wall time in earlier runs, so that the slots end together
// instead of one running the last long file alone. Files never timed (most are short) go last.
// scripts/test-durations.json, a copy of that record, orders a fresh clone's first run.
const DURATIONS = 'node_modules/.cache/mscope-test/durations.json';
const SEED = new URL('./test-durations.json', import.meta.url);
const readTimes = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {});
const earlier = { ...readTimes(SEED), ...readTimes(DURATIONS) };
// The checks go first: they are all CPU, and the first test files wait the most.
const queue = [
  ...checks.map((name, i) => ({ name, index: files.length + i, command: checkCommand })),
  ...files
    .map((name, index) => ({ name, index, ms: earlier[name] ?? 0, command: testFileCommand }))
    .sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name)),
];
const jobCount = queue.length;
let mostAtOnce = 0;
await new Promise((resolve) => {
  const start = () => {
    const job = queue.shift();
    mostAtOnce = Math.max(mostAtOnce, running.size + 1);
    void runJob(job).then(() => {
      if (queue.length > 0 && !interrupted && running.size < jobs) start();
      else if (running.size === 0) {
        clearInterval(look);
        resolve();
      }
    });
  };
  let last = cpuTimes();
  const look = setInterval(() => {
    const now = cpuTimes();
    const idle = last === null || now === null ? 0 : (now.idle - last.idle) / Math.max(1, now.total - last.total);
    last = now;
    if (idle > IDLE_TO_GROW && queue.length > 0 && !interrupted && running.size < maxJobs) start();
  }, IDLE_LOOK_MS);
  for (let i = 0; i < Math.min(jobs, queue.length); i++) start();
});

if (process.env.MSCOPE_TEST_ROOT === undefined) {
  const times = readTimes(DURATIONS);
  for (const r of results) if (compiled.has(r.file)) times[r.file] = r.ms;
  mkdirSync(dirname(DURATIONS), { recursive: true });
  // Renamed into place: a run beside this one never reads half a file.
  writeFileSync(`${DURATIONS}.${process.pid}`, `${JSON.stringify(times, null, 2)}\n`);
  renameSync(`${DURATIONS}.${process.pid}`, DURATIONS);
}
if (build !== null) removeBuild(build.dir);
rmSync(scratch, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok);
const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 8);
const cpuTotal = results.reduce((sum, r) => sum + (r.cpu ?? 0), 0);
console.log(`\n── slowest files: ${slowest.map((r) => `${r.file} ${(r.ms / 1000).toFixed(1)} s`).join(', ')}`);
console.log(
  `── ${results.length} of ${jobCount} ${checks.length > 0 ? 'checks and ' : ''}test files run on Node ${nodeVersion} in ${((Date.now() - started) / 1000).toFixed(0)} s, at most ${mostAtOnce} at a time (cpu ${cpuTotal.toFixed(0)} s): ${results.length - failed.length} passed, ${failed.length} failed`,
);
for (const r of failed) console.log(`   ${r.file}: ${r.status}`);
for (const r of failed) console.log(`\n── why ${r.file} failed:\n${r.failure.trimEnd()}`);
if (interrupted) console.log(`── ${interrupted}; not run: ${queue.length} files`);
const allPassed = failed.length === 0 && !interrupted && results.length === jobCount;
process.exit(allPassed ? 0 : 1);
