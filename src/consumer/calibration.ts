import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BindingKind } from '../core/index.js';
import { cpuClockKind, cpuNs, type CpuClockKind } from '../core/clock.js';
import { compile, ProgramInstance } from '../lang/index.js';
import { clauseEventUse } from '../agent/agent-program.js';
import { privateCacheDir, readPrivateFile, writePrivateFile } from '../modules/cache.js';
import { transform } from '../modules/transform.js';
import { installRuntime } from '../modules/runtime.js';
import { link, type LinkOptions } from '../weaver/link.js';
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
  /** ns a batch adds beyond its events, for the bindings that post batches (`BATCHED`). */
  readonly batchNs: Calibration;
  readonly batchHalfWidth: Calibration;
}

interface CalibrationFile extends CalibrationResult {
  readonly node: string;
  readonly mscope: string;
  /** How the figures were measured: a figure of an earlier method is measured again. */
  readonly method: number;
}

/**
 * The bindings whose events go to their monitor in batches (message: a post, its timer's
 * callback and the buffer handed back). A batch costs the application microseconds: posted
 * every turn, marked rendering a paragraph a turn (~140 events) ran traced by message at 193
 * ns an event against 68 calibrated on acorn's 12,260 a turn.
 */
export const BATCHED: readonly BindingKind[] = ['message'];

export const CALIBRATION_FILE = 'probe-effect.json';
/**
 * 6: as 5, and for `BATCHED` bindings what a batch of one event costs beyond its event
 * (5: a real program's functions (acorn parsing PARSE_INPUT), probed against a plain copy, per event fired
 * (4: as 3, with each figure's confidence interval, so that one measured on a busy machine is measured again;
 * 3: four synthetic functions of several shapes, probed against their plain copies, after the monitor has loaded;
 * 2: one function V8 compiles on its own against a probed-but-disabled twin; 1: an inlined one, by medians alone).
 */
export const CALIBRATION_METHOD = 6;
const WARMUP = 20;
const CHUNKS = 400;
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
  measureKind: (kind: BindingKind) => Promise<Figures> = measure,
): Promise<CalibrationResult> {
  const dir = privateCacheDir(null);
  const file = dir === null ? null : join(dir, CALIBRATION_FILE);
  const cached = file === null ? undefined : parse(readPrivateFile(file));
  const ns: Calibration = { ...cached?.ns };
  const halfWidth: Calibration = { ...cached?.halfWidth };
  const batchNs: Calibration = { ...cached?.batchNs };
  const batchHalfWidth: Calibration = { ...cached?.batchHalfWidth };
  const missing = kinds.filter((k) => !kept(ns, halfWidth, k) || (BATCHED.includes(k) && !kept(batchNs, batchHalfWidth, k)));
  if (missing.length === 0) return { ns, halfWidth, batchNs, batchHalfWidth };
  for (const k of missing) {
    const f = await measureKind(k);
    keepMorePrecise(ns, halfWidth, k, f);
    if (f.batch !== undefined) keepMorePrecise(batchNs, batchHalfWidth, k, f.batch);
  }
  const result = { ns, halfWidth, batchNs, batchHalfWidth };
  if (file !== null)
    writePrivateFile(
      file,
      `${JSON.stringify({ node: process.version, mscope: VERSION, method: CALIBRATION_METHOD, ...result } satisfies CalibrationFile)}\n`,
    );
  return result;
}

/** Whether `k` has a settled figure in `ns`. */
function kept(ns: Calibration, halfWidth: Calibration, k: BindingKind): boolean {
  return ns[k] !== undefined && halfWidth[k] !== undefined && settled(ns[k], halfWidth[k]);
}

function keepMorePrecise(ns: Calibration, halfWidth: Calibration, k: BindingKind, f: EventCost): void {
  if (ns[k] === undefined || halfWidth[k] === undefined || precision(f.ns, f.halfWidth) <= precision(ns[k], halfWidth[k])) {
    ns[k] = f.ns;
    halfWidth[k] = f.halfWidth;
  }
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
    return {
      node: f.node,
      mscope: f.mscope,
      method: f.method,
      ns: figures(f.ns),
      halfWidth: figures(f.halfWidth),
      batchNs: figures(f.batchNs),
      batchHalfWidth: figures(f.batchHalfWidth),
    };
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
 * The calibration's workload: acorn, the parser microScope itself ships, parsing this text.
 * A program's traced functions are methods and small helpers of every shape (acorn's several
 * hundred: token reading, node building, scope checks, string and regex work), and what a
 * probe costs a call depends on the function: its path is compiled into the function, which
 * V8 may then no longer inline, or may compile differently. Real programs measured from 10 to
 * 56 ns an event for direct (docs/benchmarks.md, probe-effect), so the figure is one real
 * program's mean over its own functions, not one function's.
 */
export const PARSE_INPUT = `import { readFile } from 'node:fs/promises';
const cache = new Map();
export class Store extends EventTarget {
  #items = [];
  static of(...xs) { const s = new Store(); for (const x of xs) s.add(x); return s; }
  add({ id, name = 'item', tags = [] }) {
    if (this.#items.some((i) => i.id === id)) throw new RangeError(\`duplicate \${id}\`);
    this.#items.push({ id, name: name.trim(), tags: [...tags], at: Date.now() });
    return this;
  }
  get size() { return this.#items.length; }
  *[Symbol.iterator]() { yield* this.#items; }
}
export async function load(path, { retries = 3 } = {}) {
  for (let attempt = 0; attempt < retries; attempt++) {
    try {
      const text = await readFile(path, 'utf8');
      return text.split(/\\r?\\n/).filter((l) => l && !l.startsWith('#')).map((l, i) => ({ id: i, name: l }));
    } catch (error) {
      if (error?.code !== 'EBUSY') throw error;
    }
  }
  return null;
}
export const total = (xs) => xs.reduce((n, x) => n + (x.tags?.length ?? 0) * 2 ** 3, 0) >>> 0;
function key(a, b) { return typeof a === 'string' ? \`\${a}:\${b}\` : a * 31 + (b | 0); }
cache.set(key('a', 1), label => label?.toUpperCase() ?? 'none');
`;

type Parse = () => void;

/** One figure: ns per event, and the half-width of its 95 % confidence interval. */
export interface EventCost {
  readonly ns: number;
  readonly halfWidth: number;
}

/** A binding's figures: ns per event and, for a `BATCHED` binding, per batch beyond its events. */
export type Figures = EventCost & { readonly batch?: EventCost };

/**
 * Chunks of one parse of PARSE_INPUT by a plain copy of acorn (the program as it runs untraced)
 * alternated with chunks by a rewritten copy, whose every function's `entry` probe is linked by
 * `kind`, each chunk followed by a turn of the event loop (where the message binding posts its
 * batches). Linked directly, the monitor is the D clause `@ = count()` on this thread, with the
 * event use the agent declares for it; linked by shm or message, a counting monitor on a
 * worker. The figure is what the probed parse costs more than the plain one, per event it fired.
 */
export async function measure(kind: BindingKind): Promise<Figures> {
  const name = `mscope-calibration-${kind}`;
  const plain = loadParser(`${name}-plain`, false);
  const probed = loadParser(name, true);
  const description = `fn:${name}::entry`;
  const compiled = compile([{ file: 'calibration', text: `${description} { @ = count(); }` }]).program;
  if (compiled === undefined) throw new Error('the calibration clause does not compile');
  const instance = new ProgramInstance(compiled, { output: () => {}, exit: () => {} });
  // Linked as the agent links the clause (agent-program.ts linkClauses), so that its event is as cheap.
  const use = { binding: kind, remote: { module: MONITOR }, ...clauseEventUse(compiled.clauses[0]!) };
  const h = link(description, instance.clause(0), use);
  try {
    // A remote binding's worker starts asynchronously: events queued (and timestamped) until its monitor has loaded are not its steady cost.
    await h.ready();
    const clock = chunkClock();
    let before = 0;
    const { on, off } = await alternate(turnOf(probed), turnOf(plain), CHUNKS, () => (before = h.stats.events));
    // A parse that fired nothing would calibrate the cost of nothing.
    const perChunk = (h.stats.events - before) / CHUNKS;
    if (perChunk < 1000) throw new Error(`the calibration's parser fired ${perChunk} events a parse`);
    const event = perEvent(kind, on, off, perChunk, clock);
    return BATCHED.includes(kind) ? { ...event, batch: await measureBatch(kind, name, instance, use, event) } : event;
  } finally {
    await h.unlink();
    instance.close();
  }
}

/** Turns of the event loop in a chunk of the batch measure: the buffers a host hands back a turn or two later mostly return within it. */
const BATCH_TURNS = 32;
const BATCH_CHUNKS = 120;
const TICK_SOURCE = `'use strict';\nexports.tick = function tick(x) { return x + 1; };\n`;

/**
 * What a batch costs beyond its events: chunks of turns that each fire one event (a probed
 * one-line function, linked by `kind` as in `measure`) alternated with chunks of turns that call
 * its plain twin, less the event itself (`event`, from the parse). Such a turn posts a batch of one event.
 */
async function measureBatch(
  kind: BindingKind,
  name: string,
  instance: ProgramInstance,
  use: LinkOptions,
  event: EventCost,
): Promise<EventCost> {
  const plain = loadModule(`${name}-tick-plain`, TICK_SOURCE, false) as { tick: (x: number) => number };
  const probed = loadModule(`${name}-tick`, TICK_SOURCE, true) as { tick: (x: number) => number };
  const description = `fn:${name}-tick::entry`;
  // Posted every turn: each turn's event goes in a batch of its own, whatever the binding's usual wait.
  const h = link(description, instance.clause(0), { ...use, settings: { postMs: 0 } });
  try {
    await h.ready();
    const clock = chunkClock();
    let sink = 0;
    const turns = (tick: (x: number) => number) => async () => {
      for (let t = 0; t < BATCH_TURNS; t++) {
        sink = tick(sink);
        await nextTurn();
      }
    };
    const { on, off } = await alternate(turns(probed.tick), turns(plain.tick), BATCH_CHUNKS);
    const posted = h.useByBinding().get(kind)?.batches ?? 0;
    if (posted < BATCH_CHUNKS) throw new Error(`the ${kind} binding posted ${posted} batches`);
    const turn = perEvent(kind, on, off, BATCH_TURNS, clock);
    return { ns: Math.max(0, turn.ns - event.ns), halfWidth: turn.halfWidth };
  } finally {
    await h.unlink();
  }
}

/** A chunk of calls: its wall-clock and CPU nanoseconds (this thread's run time where `chunkClock` says 'thread', else core's `cpuNs`). */
export interface Chunk {
  readonly wallNs: number;
  readonly cpuNs: number;
}

/**
 * An event's cost from alternate chunks of the same work with (`on`, firing `events` events each) and
 * without (`off`) the probe: the difference of CPU time by means, so that the collections the events' allocations
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
  events: number,
  clock: CpuClockKind = cpuClockKind(),
): EventCost {
  const cpu = kind === 'direct' || clock === 'thread';
  const series = (chunks: readonly Chunk[]): number[] => chunks.map((c) => (cpu ? c.cpuNs : c.wallNs));
  const a = series(on);
  const b = series(off);
  const d = cpu ? mean(a) - mean(b) : median(a) - median(b);
  // One chunk a side has no spread to judge by: not settled.
  const halfWidth = a.length < 2 || b.length < 2 ? Infinity : welchTest(b, a).halfWidth / events;
  return { ns: Math.max(0, d / events), halfWidth };
}

/**
 * A copy of acorn of its own, loaded from a private temporary directory as the CommonJS file
 * it ships (a program that uses acorn, as the consumer does, keeps its own instance and type
 * feedback); `rewrite`: instrumented as the load-time rewrite instruments a dependency (entry
 * prologue only, as for a script of entry probes).
 */
function loadParser(name: string, rewrite: boolean): Parse {
  const { parse } = loadModule(name, readFileSync(createRequire(import.meta.url).resolve('acorn'), 'utf8'), rewrite) as {
    parse: (input: string, options: { ecmaVersion: 'latest'; sourceType: 'module' }) => unknown;
  };
  const options = { ecmaVersion: 'latest', sourceType: 'module' } as const;
  return () => void parse(PARSE_INPUT, options);
}

/** CommonJS `source` as module `name`, from a private temporary directory; `rewrite`: as loadParser. */
function loadModule(name: string, source: string, rewrite: boolean): unknown {
  if (rewrite) {
    installRuntime();
    source = transform(source, { module: name, format: 'commonjs', exits: false }).code;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mscope-calibration-'));
  try {
    const file = join(dir, `${name}.cjs`);
    writeFileSync(file, source, { mode: 0o600 });
    return createRequire(import.meta.url)(file);
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

function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** `parse`, then a turn of the event loop (where the message binding posts with `postMs` 0). */
function turnOf(parse: Parse): () => Promise<void> {
  return async () => {
    parse();
    await nextTurn();
  };
}

/**
 * `chunks` timed pairs, `probed` then `plain`, after WARMUP pairs that are not kept; `warmed`
 * runs when the warm-up is over.
 */
async function alternate(
  probed: () => Promise<void>,
  plain: () => Promise<void>,
  chunks: number,
  warmed: () => void = () => {},
): Promise<{ on: Chunk[]; off: Chunk[] }> {
  const on: Chunk[] = [];
  const off: Chunk[] = [];
  for (let c = 0; c < WARMUP + chunks; c++) {
    if (c === WARMUP) warmed();
    const a = await timedChunk(probed);
    const b = await timedChunk(plain);
    if (c >= WARMUP) {
      on.push(a);
      off.push(b);
    }
  }
  return { on, off };
}

async function timedChunk(work: () => Promise<void>): Promise<Chunk> {
  const q0 = runq?.runqWaitNs() ?? 0;
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  await work();
  const wallNs = Number(process.hrtime.bigint() - t0);
  return { wallNs, cpuNs: runq === null || runq === undefined ? cpuNs() - c0 : wallNs - (runq.runqWaitNs() - q0) };
}
