#!/usr/bin/env node
// Benchmark runner: `node --expose-gc bench/run.mjs [--rounds N] [--variants A,B] [--no-write] [NAME…]`.
// Runs every bench/*.bench.mjs whose name contains one of NAME, prints a table per case
// and rewrites that benchmark's section of docs/benchmarks.md. `--variants` keeps only
// those variants (and each case's baseline) for a quick look; it implies --no-write.
//
// A benchmark module exports: title, description, unit, rounds, isolate (sample each
// variant in its own child process), cases() → [{ name, title, baseline, variants }],
// sample(caseName, variant) → number, and optionally setup(), teardown(), notes() → [text],
// and unavailable() → why it cannot run on this machine (it is skipped, saying so), or null.
// A case may carry its own `unit` when one benchmark measures things of different kinds, and
// `samplesOf: NAME` to compare its variants (some of case NAME's) against another baseline from
// that case's samples, without sampling them again.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { cpuSnapshot, describeMachine, otherWorkNote } from './lib/machine.mjs';
import { markdownSection, writeBenchmarksFile } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const stats = await import(pathToFileURL(join(root, 'dist/stats/index.js')).href);

const args = process.argv.slice(2);
let roundsOverride = null;
let write = true;
let onlyVariants = null;
const filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rounds') roundsOverride = Number(args[++i]);
  else if (args[i] === '--no-write') write = false;
  else if (args[i] === '--variants') {
    onlyVariants = new Set(args[++i].split(','));
    write = false;
  } else filters.push(args[i]);
}
if (roundsOverride !== null && !(roundsOverride >= 2)) {
  console.error('bench/run.mjs: --rounds needs a number ≥ 2');
  process.exit(2);
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`bench/run.mjs: no benchmark matches ${filters.join(' ')}`);
  process.exit(1);
}

const machine = describeMachine();
console.log(`microScope benchmarks: Node ${process.version}; ${machine}\n`);
const sections = new Map();
for (const f of files) {
  const name = f.slice(0, -'.bench.mjs'.length);
  const file = join(here, f);
  const bench = { name, ...(await import(pathToFileURL(file).href)) };
  const missing = bench.unavailable?.() ?? null;
  if (missing !== null) {
    console.log(`== ${name}: skipped: ${missing}\n`);
    continue;
  }
  sections.set(name, await runBench(bench, file));
}
if (write) {
  writeBenchmarksFile(join(root, 'docs/benchmarks.md'), sections);
  console.log('wrote docs/benchmarks.md');
}

async function runBench(bench, file) {
  const rounds = roundsOverride ?? bench.rounds ?? 10;
  const all = bench
    .cases()
    .map((c) =>
      onlyVariants === null ? c : { ...c, variants: c.variants.filter((v) => v === (c.baseline ?? c.variants[0]) || onlyVariants.has(v)) },
    );
  const sampled = all.filter((c) => c.samplesOf === undefined);
  // With --variants, a case over another's samples stays only while that case still samples all its variants.
  const has = (name, v) => sampled.some((s) => s.name === name && s.variants.includes(v));
  const cases = all.filter((c) => c.samplesOf === undefined || c.variants.every((v) => has(c.samplesOf, v)));
  const samples = new Map(sampled.map((c) => [c.name, new Map(c.variants.map((v) => [v, []]))]));
  const notes = new Set();
  const take = async (c, v) => {
    if (!bench.isolate) return bench.sample(c.name, v);
    const r = sampleInChild(file, c.name, v);
    for (const n of r.notes) notes.add(n);
    return r.value;
  };
  console.log(`== ${bench.name}: ${bench.title}`);
  const cpuBefore = cpuSnapshot();
  if (!bench.isolate) await bench.setup?.();
  try {
    // In-process benchmarks discard one round to warm the runner's own code paths.
    for (let r = bench.isolate ? 0 : -1; r < rounds; r++) {
      if (process.stderr.isTTY) process.stderr.write(`\r   round ${r + 1}/${rounds}`);
      for (const c of sampled) {
        const vs = rotate(c.variants, Math.max(r, 0));
        for (const v of vs) {
          const value = await take(c, v);
          if (r >= 0) samples.get(c.name).get(v).push(value);
        }
      }
    }
  } finally {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (!bench.isolate) await bench.teardown?.();
  }
  for (const n of bench.notes?.() ?? []) notes.add(n);
  const busy = otherWorkNote(cpuBefore, cpuSnapshot());
  if (busy !== null) notes.add(busy);
  const samplesFor = (c) =>
    c.samplesOf === undefined ? samples.get(c.name) : new Map(c.variants.map((v) => [v, samples.get(c.samplesOf).get(v)]));
  const done = cases.map((c) => ({ ...c, results: stats.compareVariants(samplesFor(c), c.baseline ?? c.variants[0]) }));
  for (const c of done) console.log(`\n${c.title}\n${stats.formatTextTable(c.results, c.unit ?? bench.unit)}`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log('');
  const meta = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    machine,
    rounds,
    notes: [...notes],
  };
  return markdownSection(bench, meta, done, stats);
}

function sampleInChild(file, caseName, variant) {
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, 'lib/child.mjs'), file, caseName, variant], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = r.stdout.trimEnd().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    throw new Error(`bench child ${caseName}/${variant} failed (status ${r.status}):\n${r.stdout}`);
  }
  return JSON.parse(last);
}

function rotate(xs, k) {
  const s = k % xs.length;
  return [...xs.slice(s), ...xs.slice(0, s)];
}
