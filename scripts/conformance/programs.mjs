#!/usr/bin/env node
// Real programs, not written here, on real input: each runs plainly and under `mscope run` with
// every fn entry and return probe counted; stdout, stderr (less mscope's own lines), exit
// status and written files must be byte-identical. Usage: programs.mjs [substring...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const MSCOPE = join(ROOT, 'bin/mscope.js');
const D = 'fn:::entry,fn:::return { @[probemod] = count(); }';
const bin = (p) => join(ROOT, 'node_modules', p);
const tmp = mkdtempSync(join(tmpdir(), 'mscope-conformance-'));

/** This repository's docs and README, 20 times over: ~2 MB of real Markdown. */
function bigMarkdown() {
  const parts = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const doc = parts.map((p) => readFileSync(join(ROOT, p), 'utf8')).join('\n\n');
  const file = join(tmp, 'big.md');
  writeFileSync(file, Array(20).fill(doc).join('\n\n'));
  return file;
}

const md = bigMarkdown();
// resolve's own tests that run without its devDependencies; the unit test runs the same list.
const RESOLVE_TESTS = JSON.parse(readFileSync(join(ROOT, 'scripts/conformance/resolve-tests.json'), 'utf8'));
const tapeSuites = [
  ...readdirSync(bin('minimist/test')).map((f) => `node_modules/minimist/test/${f}`),
  ...RESOLVE_TESTS.map((f) => `node_modules/resolve/test/${f}.js`),
];

/**
 * `owns`: module-name prefixes of the program's own code; probes must fire there, else the
 * comparison proves nothing. `outDir`: a directory the program writes, compared file by file.
 * `binding`: the clause's binding (`-b`; direct when absent).
 */
const PROGRAMS = [
  {
    name: 'tsc --noEmit (this repo)',
    covers: 'CJS, 6 MB compiler',
    owns: ['typescript'],
    args: [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
  },
  {
    name: 'tsc emit (this repo)',
    covers: 'CJS, file output',
    owns: ['typescript'],
    outDir: true,
    args: (out) => [bin('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
  },
  {
    name: 'eslint . (this repo)',
    covers: 'CJS+ESM config, classes, generators',
    owns: ['eslint', '@typescript-eslint', 'typescript-eslint'],
    args: [bin('eslint/bin/eslint.js'), '.'],
  },
  {
    name: 'eslint --concurrency=2 .',
    covers: 'worker threads',
    owns: ['eslint', '@typescript-eslint', 'typescript-eslint'],
    // ESLint warns when its workers spend under 70 % of their time linting (loading configs
    // and reading files being the rest): a wall-clock heuristic that tracing, by slowing the
    // linting, flips. It is the program timing itself, so both runs leave that warning out.
    args: ['--disable-warning=ESLintPoorConcurrencyWarning', bin('eslint/bin/eslint.js'), '--concurrency=2', '.'],
  },
  {
    name: 'prettier --check . (this repo)',
    covers: 'ESM, async',
    owns: ['prettier'],
    args: [bin('prettier/bin/prettier.cjs'), '--check', '.'],
  },
  {
    name: 'prettier --check . by message',
    covers: 'the message binding, a long synchronous run',
    owns: ['prettier'],
    binding: 'message',
    args: [bin('prettier/bin/prettier.cjs'), '--check', '.'],
  },
  {
    name: 'terser -c -m typescript.js (9 MB)',
    covers: 'minified CJS bundle, classes',
    owns: ['terser'],
    args: [bin('terser/bin/terser'), bin('typescript/lib/typescript.js'), '-c', '-m'],
  },
  { name: 'markdown-it big.md (2 MB)', covers: 'ESM bin', owns: ['markdown-it'], args: [bin('markdown-it/bin/markdown-it.mjs'), md] },
  { name: 'marked big.md (2 MB)', covers: 'minified ESM, classes', owns: ['marked'], args: [bin('marked/bin/marked.js'), '-i', md] },
  {
    name: 'tape: minimist + resolve suites',
    covers: 'test runner, callbacks, fs',
    owns: ['tape', 'minimist', 'resolve'],
    args: [bin('tape/bin/tape'), ...tapeSuites],
  },
  {
    name: 'esbuild JS API bundling src/',
    covers: 'async, child process',
    owns: ['esbuild'],
    args: [join(ROOT, 'scripts/conformance/programs/esbuild-api.mjs')],
  },
  {
    name: 'marked big.md by shm',
    covers: 'the shm binding',
    owns: ['marked'],
    binding: 'shm',
    args: [bin('marked/bin/marked.js'), '-i', md],
  },
  {
    name: 'acorn --ecma2024 acorn.js → AST',
    covers: 'CJS parser, deep recursion',
    owns: ['acorn'],
    args: [bin('acorn/bin/acorn'), '--ecma2024', '--locations', bin('acorn/dist/acorn.js')],
  },
];

/**
 * CPU seconds (user + system) of this process's waited-for descendants, from Linux's
 * /proc/self/stat (cutime, cstime): a spawned program's CPU including its own children and
 * threads, which Node does not report. NaN where there is no /proc.
 */
function childrenCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ, which Linux fixes at 100 for /proc whatever the kernel's HZ. */
const CLOCK_TICKS = 100;

function run(argv, env = {}) {
  const t = performance.now();
  const cpu = childrenCpuSeconds();
  const r = spawnSync(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    maxBuffer: 1 << 30,
  });
  const cpuS = childrenCpuSeconds() - cpu;
  return { ms: performance.now() - t, cpuS, stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

/** Every file under `dir`, relative, with its bytes. */
function tree(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function compareTrees(a, b) {
  const diffs = [];
  for (const [k, v] of a)
    if (!b.has(k)) diffs.push(`${k} missing when traced`);
    else if (!v.equals(b.get(k))) diffs.push(`${k} differs`);
  for (const k of b.keys()) if (!a.has(k)) diffs.push(`${k} only when traced`);
  return diffs;
}

const ownLine = /^mscope: /;
/** mscope's own lines go; Node's `(node:PID)` warning prefix differs between any two runs. */
function stripOwn(stderr) {
  return stderr
    .toString('utf8')
    .split('\n')
    .filter((l) => !ownLine.test(l))
    .map((l) => l.replace(/^\(node:\d+\)/, '(node:PID)'))
    .join('\n');
}

/** `@[probemod] = count()` printed by mscope: module → firings. */
function firings(file) {
  const out = new Map();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+(\d+)\s*$/.exec(line);
    if (m !== null) out.set(m[1], (out.get(m[1]) ?? 0) + Number(m[2]));
  }
  return out;
}

function compare(p, plain, traced, outs) {
  const diffs = [];
  if (plain.status !== traced.status || plain.signal !== traced.signal)
    diffs.push(`exit ${plain.status ?? plain.signal} plain, ${traced.status ?? traced.signal} traced`);
  if (!plain.stdout.equals(traced.stdout))
    diffs.push(`stdout differs (${plain.stdout.length} vs ${traced.stdout.length} bytes)${firstDiff(plain.stdout, traced.stdout)}`);
  const e1 = stripOwn(plain.stderr);
  const e2 = stripOwn(traced.stderr);
  if (e1 !== e2) diffs.push(`stderr differs${firstDiff(Buffer.from(e1), Buffer.from(e2))}`);
  if (p.outDir) diffs.push(...compareTrees(tree(outs[0]), tree(outs[1])));
  return diffs;
}

function firstDiff(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = (buf) => JSON.stringify(buf.subarray(Math.max(0, i - 60), i + 100).toString('utf8'));
  return `: at byte ${i}, plain ${line(a)}, traced ${line(b)}`;
}

const filters = process.argv.slice(2);
const chosen = PROGRAMS.filter((p) => filters.length === 0 || filters.some((f) => p.name.includes(f)));
const rows = [];
let failed = 0;
for (const p of chosen) {
  const outs = [join(tmp, `${rows.length}-plain`), join(tmp, `${rows.length}-traced`), join(tmp, `${rows.length}-warm`)];
  const argv = (i) => (typeof p.args === 'function' ? p.args(outs[i]) : p.args);
  const agg = join(tmp, `${rows.length}.agg`);
  const cache = join(tmp, `${rows.length}.cache`);
  const bound = p.binding === undefined ? [] : ['-b', p.binding];
  const traced = (i) => [MSCOPE, 'run', '-q', ...bound, '-e', D, '-o', agg, '--', process.execPath, ...argv(i)];
  const plain = run(argv(0));
  // The first traced run fills the transform cache; the second is timed, as a program is usually traced again.
  const cold = run(traced(1), { MSCOPE_CACHE_DIR: cache });
  rmSync(agg, { force: true });
  const warm = run(traced(2), { MSCOPE_CACHE_DIR: cache });
  const diffs = compare(p, plain, cold, [outs[0], outs[1]]);
  for (const d of compare(p, plain, warm, [outs[0], outs[2]])) if (!diffs.includes(d)) diffs.push(`${d} (warm cache)`);
  const fired = firings(agg);
  let own = 0;
  let all = 0;
  for (const [mod, n] of fired) {
    all += n;
    if (p.owns.some((o) => mod === o || mod.startsWith(`${o}/`))) own += n;
  }
  if (own === 0) diffs.push(`no probe fired in the program's own modules (${p.owns.join(', ')}): the comparison proves nothing`);
  const ratio = warm.ms / plain.ms;
  rows.push({
    name: p.name,
    covers: p.covers,
    ok: diffs.length === 0,
    plainMs: plain.ms,
    plainCpuS: plain.cpuS,
    tracedMs: warm.ms,
    tracedCpuS: warm.cpuS,
    coldMs: cold.ms,
    coldCpuS: cold.cpuS,
    ratio,
    own,
    all,
    status: plain.status,
    diffs,
  });
  if (diffs.length > 0) failed++;
  const secs = (ms, cpuS) => `${(ms / 1000).toFixed(1).padStart(6)} s (cpu ${cpuS.toFixed(1).padStart(6)} s)`;
  process.stdout.write(
    `${diffs.length === 0 ? 'same  ' : 'DIFFER'} ${p.name.padEnd(36)} exit ${String(plain.status).padEnd(3)} plain ${secs(plain.ms, plain.cpuS)}  traced ${secs(warm.ms, warm.cpuS)}  cold ${secs(cold.ms, cold.cpuS)}  ratio ${ratio.toFixed(2).padStart(5)} wall ${(warm.cpuS / plain.cpuS).toFixed(2).padStart(5)} cpu  firings ${own} own / ${all} all\n`,
  );
  for (const d of diffs) process.stdout.write(`         ${d}\n`);
}
if (process.env.CONFORMANCE_JSON) writeFileSync(process.env.CONFORMANCE_JSON, JSON.stringify(rows, null, 1));
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(`\nreal programs: ${rows.length - failed} same, ${failed} different\n`);
process.exitCode = failed > 0 ? 1 : 0;
