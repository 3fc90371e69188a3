import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BindingKind } from '../core/index.js';
import { cpuClockKind, cpuNs, type CpuClockKind } from '../core/clock.js';
import { compile, ProgramInstance } from '../lang/index.js';
import { privateCacheDir, readPrivateFile, writePrivateFile } from '../modules/cache.js';
import { transform } from '../modules/transform.js';
import { installRuntime } from '../modules/runtime.js';
import { link } from '../weaver/link.js';
import '../weaver/bindings/register.js';
import { mean, median } from '../stats/describe.js';

/** Nanoseconds one event adds to the thread that fires it, by binding, on this machine. */
export type Calibration = Partial<Record<BindingKind, number>>;

interface CalibrationFile {
  readonly node: string;
  readonly mscope: string;
  /** How the figures were measured: a figure of an earlier method is measured again. */
  readonly method: number;
  readonly ns: Calibration;
}

export const CALIBRATION_FILE = 'probe-effect.json';
/** 2: through a function V8 compiles on its own, collections counted (1: an inlined one, by medians alone). */
export const CALIBRATION_METHOD = 2;
const CHUNK = 1000;
const WARMUP = 20;
const CHUNKS = 100;
const MONITOR = fileURLToPath(new URL('./calibration-monitor.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * ns per event for each of `kinds`, from the per-user cache (MSCOPE_CACHE_DIR or a 0700
 * directory of this user's in the temporary directory; never the project's, the figure is the
 * machine's) or measured now and added to it. An entry of another Node or microScope version
 * or calibration method, or one that does not parse, is measured again.
 */
export async function calibration(kinds: readonly BindingKind[]): Promise<Calibration> {
  const dir = privateCacheDir(null);
  const file = dir === null ? null : join(dir, CALIBRATION_FILE);
  const cached = file === null ? undefined : parse(readPrivateFile(file));
  const ns: Calibration = { ...cached?.ns };
  const missing = kinds.filter((k) => ns[k] === undefined);
  if (missing.length === 0) return ns;
  for (const k of missing) ns[k] = await measure(k);
  if (file !== null)
    writePrivateFile(
      file,
      `${JSON.stringify({ node: process.version, mscope: VERSION, method: CALIBRATION_METHOD, ns } satisfies CalibrationFile)}\n`,
    );
  return ns;
}

function parse(text: string | undefined): CalibrationFile | undefined {
  if (text === undefined) return undefined;
  try {
    const f = JSON.parse(text) as Partial<CalibrationFile> | null;
    if (f?.node !== process.version || f.mscope !== VERSION || f.method !== CALIBRATION_METHOD || typeof f.ns !== 'object' || f.ns === null)
      return undefined;
    const ns: Calibration = {};
    for (const [k, v] of Object.entries(f.ns)) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) ns[k as BindingKind] = v;
    return { node: f.node, mscope: f.mscope, method: f.method, ns };
  } catch {
    // Corrupt: measured again and rewritten.
    return undefined;
  }
}

type Site = (a: number, b: number) => number;
interface CalibrationModule {
  readonly work: Site;
  readonly idle: Site;
  readonly burst: (site: Site, n: number, sink: number) => number;
}

/**
 * Chunks of 1,000 calls of a function rewritten as an application's are, each chunk followed by a
 * turn of the event loop (where the message binding posts its batches), alternately of one
 * whose `entry` probe is linked by `kind` and of one linked to nothing. Linked directly, the
 * monitor is the D clause `@ = count()` running on this thread; linked by shm or message, a
 * counting monitor on a worker. `perEventNs` turns the chunks' times into an event's cost.
 */
async function measure(kind: BindingKind): Promise<number> {
  const name = `mscope-calibration-${kind}`;
  const m = await sites(name);
  const description = `fn:${name}:work:entry`;
  const compiled = compile([{ file: 'calibration', text: `${description} { @ = count(); }` }]).program;
  if (compiled === undefined) throw new Error('the calibration clause does not compile');
  const instance = new ProgramInstance(compiled, { output: () => {}, exit: () => {} });
  // Linked as the agent links the clause (agent-program.ts linkClauses), so that its event is as cheap.
  const { keepsEvents, readsArgs } = compiled.clauses[0]!;
  const h = link(description, instance.clause(0), { binding: kind, remote: { module: MONITOR }, keepsEvents, readsArgs });
  try {
    // A remote binding's worker starts asynchronously: queueing until then is not its steady cost.
    if (kind !== 'direct') await new Promise((r) => setTimeout(r, 150));
    const on: Chunk[] = [];
    const off: Chunk[] = [];
    for (let c = 0; c < WARMUP + CHUNKS; c++) {
      const a = await chunk(m, m.work);
      const b = await chunk(m, m.idle);
      if (c >= WARMUP) {
        on.push(a);
        off.push(b);
      }
    }
    // A site that fired nothing would calibrate the cost of nothing.
    if (h.stats.events < (WARMUP + CHUNKS) * CHUNK) throw new Error(`the calibration site fired ${h.stats.events} events`);
    return perEventNs(kind, on, off, CHUNK);
  } finally {
    await h.unlink();
    instance.close();
  }
}

/** A chunk of calls: its wall-clock and CPU nanoseconds (core's `cpuNs`). */
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
 * of the wall-clock medians.
 */
export function perEventNs(
  kind: BindingKind,
  on: readonly Chunk[],
  off: readonly Chunk[],
  calls: number,
  clock: CpuClockKind = cpuClockKind(),
): number {
  const d =
    kind === 'direct' || clock === 'thread'
      ? mean(on.map((c) => c.cpuNs)) - mean(off.map((c) => c.cpuNs))
      : median(on.map((c) => c.wallNs)) - median(off.map((c) => c.wallNs));
  return Math.max(0, d / calls);
}

let sink = 0;

/**
 * A rewritten module as the load-time rewrite instruments an application's (entry prologue only,
 * as for a script of entry probes), loaded from a private temporary directory: two copies of a
 * function too large for V8 to inline into its caller (over 460 bytes of bytecode), so that,
 * like most of an application's functions, it is compiled on its own with the probe's path
 * inlined into it, and the loop that calls them. A function small enough to be inlined into
 * the calibration's loop measured a fraction of what a run pays (12 against 35 ns direct).
 */
async function sites(name: string): Promise<CalibrationModule> {
  installRuntime();
  const { code } = transform(SOURCE, { module: name, format: 'module', exits: false });
  const dir = mkdtempSync(join(tmpdir(), 'mscope-calibration-'));
  try {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, code, { mode: 0o600 });
    return (await import(pathToFileURL(file).href)) as CalibrationModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Integer mixing, about half a microsecond a call; six copies of the step make the body too large to inline.
const STEP = `
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + k;
    x = Math.imul(x ^ (x >>> 12), 0x297a2d39) ^ b;
    if ((x & 7) === 0) x = (x + 0x9e3779b9) | 0;
    else if ((x & 7) === 1) x = (x ^ (x << 5)) | 0;
    else x = (x - (x >>> 3)) | 0;`;
const BODY = `(a, b) {\n  let x = a | 0;\n  for (let k = 0; k < 16; k++) {${STEP.repeat(6)}\n  }\n  return x;\n}`;
const SOURCE = `export function work${BODY}
export function idle${BODY}
export function burst(site, n, s) { for (let i = 0; i < n; i++) s = site(i, s) & 0xffff; return s; }
`;

async function chunk(m: CalibrationModule, site: Site): Promise<Chunk> {
  const c0 = cpuNs();
  const t0 = process.hrtime.bigint();
  sink = m.burst(site, CHUNK, sink);
  await new Promise((r) => setImmediate(r));
  const wallNs = Number(process.hrtime.bigint() - t0);
  return { wallNs, cpuNs: cpuNs() - c0 };
}
