import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BindingKind } from '../core/index.js';
import { cpuClockKind, cpuNs, type CpuClockKind } from '../core/clock.js';
import { compile, ProgramInstance } from '../lang/index.js';
import { clauseEventUse } from '../agent/agent-program.js';
import { privateCacheDir, readPrivateFile, writePrivateFile } from '../modules/cache.js';
import { transform } from '../modules/transform.js';
import { installRuntime } from '../modules/runtime.js';
import { link } from '../weaver/link.js';
import '../weaver/bindings/register.js';
import { mean, median } from '../stats/describe.js';
import { welchTest } from '../stats/compare.js';
import { LinuxSampler } from '../accounting/linux.js';

/** Nanoseconds one event adds to the thread that fires it, by binding, on this machine. */
export type Calibration = Partial<Record<BindingKind, number>>;

/** A calibration and how sure it is: the half-width of each figure's 95 % confidence interval. */
export interface CalibrationResult {
  readonly ns: Calibration;
  readonly halfWidth: Calibration;
}

interface CalibrationFile {
  readonly node: string;
  readonly mscope: string;
  /** How the figures were measured: a figure of an earlier method is measured again. */
  readonly method: number;
  readonly ns: Calibration;
  readonly halfWidth: Calibration;
}

export const CALIBRATION_FILE = 'probe-effect.json';
/**
 * 4: as 3, with each figure's confidence interval, so that one measured on a busy machine is measured again
 * (3: functions of several shapes, probed against their plain copies, after the monitor has loaded;
 * 2: one function V8 compiles on its own against a probed-but-disabled twin; 1: an inlined one, by medians alone).
 */
export const CALIBRATION_METHOD = 4;
const CHUNK = 1000;
const WARMUP = 20;
const CHUNKS = 100;
const MONITOR = fileURLToPath(new URL('./calibration-monitor.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** A figure is settled when its confidence interval is this narrow, absolutely (ns) or relative to it. */
const SETTLED_NS = 5;
const SETTLED_SHARE = 1 / 3;

/**
 * Whether a figure can be kept for later runs. On a quiet machine the chunks agree to within
 * about a fifth of the figure; on a busy one (measured with two other processes spinning) the
 * interval was 50 to 200 % of it, and the figure anything from 5 to 116 ns where a quiet
 * machine gives 25 to 31 (direct, docs/benchmarks.md, probe-effect).
 */
export function settled(ns: number, halfWidth: number): boolean {
  return halfWidth <= Math.max(SETTLED_NS, ns * SETTLED_SHARE);
}

/**
 * ns per event for each of `kinds`, from the per-user cache (MSCOPE_CACHE_DIR or a 0700
 * directory of this user's in the temporary directory; never the project's, the figure is the
 * machine's) or measured now and added to it. An entry of another Node or microScope version
 * or calibration method, or one that does not parse, is measured again; so is one that is not
 * `settled`, until a run measures it settled, and the more precise of the two is kept.
 */
export async function calibration(
  kinds: readonly BindingKind[],
  measureKind: (kind: BindingKind) => Promise<ShapeFigure> = measure,
): Promise<CalibrationResult> {
  const dir = privateCacheDir(null);
  const file = dir === null ? null : join(dir, CALIBRATION_FILE);
  const cached = file === null ? undefined : parse(readPrivateFile(file));
  const ns: Calibration = { ...cached?.ns };
  const halfWidth: Calibration = { ...cached?.halfWidth };
  const missing = kinds.filter((k) => ns[k] === undefined || halfWidth[k] === undefined || !settled(ns[k], halfWidth[k]));
  if (missing.length === 0) return { ns, halfWidth };
  for (const k of missing) {
    const f = await measureKind(k);
    if (ns[k] === undefined || halfWidth[k] === undefined || precision(f.ns, f.halfWidth) <= precision(ns[k], halfWidth[k])) {
      ns[k] = f.ns;
      halfWidth[k] = f.halfWidth;
    }
  }
  if (file !== null)
    writePrivateFile(
      file,
      `${JSON.stringify({ node: process.version, mscope: VERSION, method: CALIBRATION_METHOD, ns, halfWidth } satisfies CalibrationFile)}\n`,
    );
  return { ns, halfWidth };
}

/** How wide a figure's interval is against what `settled` allows it: smaller is more precise. */
function precision(ns: number, halfWidth: number): number {
  return halfWidth / Math.max(SETTLED_NS, ns * SETTLED_SHARE);
}

function parse(text: string | undefined): CalibrationFile | undefined {
  if (text === undefined) return undefined;
  try {
    const f = JSON.parse(text) as Partial<CalibrationFile> | null;
    if (f?.node !== process.version || f.mscope !== VERSION || f.method !== CALIBRATION_METHOD) return undefined;
    return { node: f.node, mscope: f.mscope, method: f.method, ns: figures(f.ns), halfWidth: figures(f.halfWidth) };
  } catch {
    // Corrupt: measured again and rewritten.
    return undefined;
  }
}

/** The finite, non-negative figures of a parsed file's map. */
function figures(map: unknown): Calibration {
  const out: Calibration = {};
  if (typeof map !== 'object' || map === null) return out;
  for (const [k, v] of Object.entries(map)) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[k as BindingKind] = v;
  return out;
}

/**
 * Functions of the shapes an application's traced functions have, each small enough that V8
 * inlines it into its caller while it is not instrumented: integer arithmetic, floating point
 * through Math's library calls, reading and updating an object's fields, building and scanning
 * a short string. What a probe costs a call depends on the function (the probe's path is
 * compiled into it, and it may no longer be inlined): measured on the effect workload's
 * shapes, from nothing to over 100 ns a call for direct (docs/benchmarks.md, probe-effect),
 * so the figure is their mean, not one function's.
 */
export const SHAPES: Readonly<Record<string, string>> = {
  integer: `(a, b) {
  let x = a | 0;
  for (let k = 0; k < 24; k++) x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + b) | 0;
  return x;
}`,
  float: `(a, b) {
  let x = a + 1.5;
  for (let k = 0; k < 8; k++) x = Math.log(x * x + b + k) + Math.sqrt(x);
  return x | 0;
}`,
  object: `(a, b) {
  const p = { x: a & 1023, y: b & 1023, n: 0 };
  for (let k = 0; k < 16; k++) {
    p.x = (p.x + p.y) & 1023;
    p.n += p.x > 512 ? 1 : 0;
  }
  return p.x + p.n;
}`,
  string: `(a, b) {
  const t = 'id-' + (a & 255) + ':' + (b & 15);
  let h = 0;
  for (let k = 0; k < t.length; k++) h = (h * 31 + t.charCodeAt(k)) | 0;
  return h + t.indexOf(':');
}`,
};

type Burst = (n: number, sink: number) => number;
/** Per shape: a burst of calls of its function from a loop of the same module. */
type Bursts = Readonly<Record<string, Burst>>;

/**
 * Per shape, chunks of calls of a plain copy of the function (the program as it runs untraced:
 * not rewritten) alternated with chunks of its rewritten copy, whose `entry` probe is linked by
 * `kind`, each from its own loop, each chunk followed by a turn of the event loop (where the
 * message binding posts its batches). Linked directly, the monitor is the D clause
 * `@ = count()` on this thread, with the event use the agent declares for it; linked by shm or
 * message, a counting monitor on a worker. The figure is the mean over the shapes of what a
 * call costs more probed than plain (`perEvent`), with its confidence interval.
 */
async function measure(kind: BindingKind): Promise<ShapeFigure> {
  const shapes = Object.values(await measureShapes(kind));
  // The shapes are measured apart: the mean's half-width is theirs combined.
  return { ns: mean(shapes.map((f) => f.ns)), halfWidth: Math.sqrt(shapes.reduce((v, f) => v + f.halfWidth ** 2, 0)) / shapes.length };
}

/** One shape's figure: ns per event, and the half-width of its 95 % confidence interval. */
export interface ShapeFigure {
  readonly ns: number;
  readonly halfWidth: number;
}

/** ns per event for each of SHAPES under `kind`: the mean hides how far apart they are (docs/benchmarks.md, probe-effect). */
export async function measureShapes(kind: BindingKind): Promise<Record<string, ShapeFigure>> {
  const name = `mscope-calibration-${kind}`;
  const plain = await load(`${name}-plain`, false);
  const probed = await load(name, true);
  const description = `fn:${name}:*Work:entry`;
  const compiled = compile([{ file: 'calibration', text: `${description} { @ = count(); }` }]).program;
  if (compiled === undefined) throw new Error('the calibration clause does not compile');
  const instance = new ProgramInstance(compiled, { output: () => {}, exit: () => {} });
  // Linked as the agent links the clause (agent-program.ts linkClauses), so that its event is as cheap.
  const h = link(description, instance.clause(0), { binding: kind, remote: { module: MONITOR }, ...clauseEventUse(compiled.clauses[0]!) });
  try {
    // A remote binding's worker starts asynchronously: events queued (and timestamped) until its monitor has loaded are not its steady cost.
    await h.ready();
    const shapes = Object.keys(SHAPES);
    const clock = chunkClock();
    const on = new Map(shapes.map((s) => [s, [] as Chunk[]]));
    const off = new Map(shapes.map((s) => [s, [] as Chunk[]]));
    for (let c = 0; c < WARMUP + CHUNKS; c++) {
      for (const s of shapes) {
        const a = await chunk(probed[s]!);
        const b = await chunk(plain[s]!);
        if (c >= WARMUP) {
          on.get(s)!.push(a);
          off.get(s)!.push(b);
        }
      }
    }
    // A site that fired nothing would calibrate the cost of nothing.
    const expected = (WARMUP + CHUNKS) * CHUNK * shapes.length;
    if (h.stats.events < expected) throw new Error(`the calibration sites fired ${h.stats.events} events of ${expected}`);
    return Object.fromEntries(shapes.map((s) => [s, perEvent(kind, on.get(s)!, off.get(s)!, CHUNK, clock)]));
  } finally {
    await h.unlink();
    instance.close();
  }
}

/** A chunk of calls: its wall-clock and CPU nanoseconds (this thread's run time where `chunkClock` says 'thread', else core's `cpuNs`). */
export interface Chunk {
  readonly wallNs: number;
  readonly cpuNs: number;
}

/**
 * An event's cost from alternate chunks of `calls` calls with (`on`) and without (`off`) the
 * probe: the difference of CPU time by means, so that the collections the events' allocations
 * cause count (one chunk in tens pays for one, which a median would leave out) and time lost to
 * other work does not. Where core's CPU clock is the process's (`clock`, not this thread's
 * alone), a remote binding's worker runs on it too: shm and message then take the difference
 * of the wall-clock medians. The half-width is Welch's 95 % interval of the same series'
 * difference: how far the chunks disagree.
 */
export function perEvent(
  kind: BindingKind,
  on: readonly Chunk[],
  off: readonly Chunk[],
  calls: number,
  clock: CpuClockKind = cpuClockKind(),
): ShapeFigure {
  const cpu = kind === 'direct' || clock === 'thread';
  const series = (chunks: readonly Chunk[]): number[] => chunks.map((c) => (cpu ? c.cpuNs : c.wallNs));
  const a = series(on);
  const b = series(off);
  const d = cpu ? mean(a) - mean(b) : median(a) - median(b);
  // One chunk a side has no spread to judge by: not settled.
  const halfWidth = a.length < 2 || b.length < 2 ? Infinity : welchTest(b, a).halfWidth / calls;
  return { ns: Math.max(0, d / calls), halfWidth };
}

let sink = 0;

/**
 * The shapes' functions (`integerWork`…) and their loops (`integerBurst`…) as one module,
 * loaded from a private temporary directory; `rewrite`: instrumented as the load-time rewrite
 * instruments an application's (entry prologue only, as for a script of entry probes).
 */
async function load(name: string, rewrite: boolean): Promise<Bursts> {
  let source = '';
  for (const [shape, body] of Object.entries(SHAPES))
    source += `export function ${shape}Work${body}\nexport function ${shape}Burst(n, s) { for (let i = 0; i < n; i++) s = ${shape}Work(i, s) & 0xffff; return s; }\n`;
  if (rewrite) {
    installRuntime();
    source = transform(source, { module: name, format: 'module', exits: false }).code;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mscope-calibration-'));
  try {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, source, { mode: 0o600 });
    const m = (await import(pathToFileURL(file).href)) as Record<string, Burst>;
    return Object.fromEntries(Object.keys(SHAPES).map((shape) => [shape, m[`${shape}Burst`]!]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * This thread's run time, where core's CPU clock is the process's (Node before 22.15) or reads
 * only at scheduler ticks: on Linux, wall time less the run-queue wait schedstat adds when the
 * thread is switched back in, exact over a chunk, which never sleeps (its turn of the event
 * loop has an immediate pending). A remote binding's worker is then not counted, and the
 * collections the events cause are, as on a traced program's thread.
 */
let runq: LinuxSampler | null | undefined;

/** The clock `perEvent` is given: 'thread' where the chunks' `cpuNs` is this thread's alone. */
function chunkClock(): CpuClockKind {
  runq ??= cpuClockKind() === 'thread' ? null : LinuxSampler.open();
  return runq === null ? cpuClockKind() : 'thread';
}

async function chunk(burst: Burst): Promise<Chunk> {
  const q0 = runq?.runqWaitNs() ?? 0;
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  sink = burst(CHUNK, sink);
  await new Promise((r) => setImmediate(r));
  const wallNs = Number(process.hrtime.bigint() - t0);
  return { wallNs, cpuNs: runq === null || runq === undefined ? cpuNs() - c0 : wallNs - (runq.runqWaitNs() - q0) };
}
