import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BindingKind } from '../core/index.js';
import { compile, ProgramInstance } from '../lang/index.js';
import { privateCacheDir, readPrivateFile, writePrivateFile } from '../modules/cache.js';
import { transform } from '../modules/transform.js';
import { installRuntime } from '../modules/runtime.js';
import { link } from '../weaver/link.js';
import '../weaver/bindings/register.js';

/** Nanoseconds one event adds to the thread that fires it, by binding, on this machine. */
export type Calibration = Partial<Record<BindingKind, number>>;

interface CalibrationFile {
  readonly node: string;
  readonly mscope: string;
  readonly ns: Calibration;
}

export const CALIBRATION_FILE = 'probe-effect.json';
const CHUNK = 1000;
const WARMUP = 20;
const CHUNKS = 100;
const MONITOR = fileURLToPath(new URL('./calibration-monitor.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * ns per event for each of `kinds`, from the per-user cache (MSCOPE_CACHE_DIR or a 0700
 * directory of this user's in the temporary directory; never the project's, the figure is the
 * machine's) or measured now and added to it. An entry of another Node or microScope version,
 * or one that does not parse, is measured again.
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
    writePrivateFile(file, `${JSON.stringify({ node: process.version, mscope: VERSION, ns } satisfies CalibrationFile)}\n`);
  return ns;
}

function parse(text: string | undefined): CalibrationFile | undefined {
  if (text === undefined) return undefined;
  try {
    const f = JSON.parse(text) as Partial<CalibrationFile> | null;
    if (f?.node !== process.version || f.mscope !== VERSION || typeof f.ns !== 'object' || f.ns === null) return undefined;
    const ns: Calibration = {};
    for (const [k, v] of Object.entries(f.ns)) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) ns[k as BindingKind] = v;
    return { node: f.node, mscope: f.mscope, ns };
  } catch {
    // Corrupt: measured again and rewritten.
    return undefined;
  }
}

type Site = (a: number, b: number) => number;

/**
 * Chunks of 1,000 calls of a function rewritten as an application's are, each chunk followed by a
 * turn of the event loop (where the message binding posts its batches), alternately of one
 * whose `entry` probe is linked by `kind` and of one linked to nothing. Linked directly, the
 * monitor is the D clause `@ = count()` running on this thread; linked by shm or message, a
 * counting monitor on a worker. The difference of the medians over 1,000 is an event's cost:
 * medians and alternation, because the machine may be busy with other work.
 */
async function measure(kind: BindingKind): Promise<number> {
  const name = `mscope-calibration-${kind}`;
  const { active, idle } = await sites(name);
  const description = `fn:${name}:work:entry`;
  const compiled = compile([{ file: 'calibration', text: `${description} { @ = count(); }` }]).program;
  if (compiled === undefined) throw new Error('the calibration clause does not compile');
  const instance = new ProgramInstance(compiled, { output: () => {}, exit: () => {} });
  const h = link(description, instance.clause(0), { binding: kind, remote: { module: MONITOR } });
  try {
    // A remote binding's worker starts asynchronously: queueing until then is not its steady cost.
    if (kind !== 'direct') await new Promise((r) => setTimeout(r, 150));
    const on: number[] = [];
    const off: number[] = [];
    for (let c = 0; c < WARMUP + CHUNKS; c++) {
      const a = await chunk(active);
      const b = await chunk(idle);
      if (c >= WARMUP) {
        on.push(a);
        off.push(b);
      }
    }
    // A site that fired nothing would calibrate the cost of nothing.
    if (h.stats.events < (WARMUP + CHUNKS) * CHUNK) throw new Error(`the calibration site fired ${h.stats.events} events`);
    return Math.max(0, (median(on) - median(off)) / CHUNK);
  } finally {
    await h.unlink();
    instance.close();
  }
}

let sink = 0;

/**
 * Two functions as the load-time rewrite instruments an application's (entry prologue only, as
 * for a script of entry probes), loaded from a private temporary directory.
 */
async function sites(name: string): Promise<{ active: Site; idle: Site }> {
  installRuntime();
  const source = 'export function work(a, b) { return a + b; }\nexport function idle(a, b) { return a + b; }\n';
  const { code } = transform(source, { module: name, format: 'module', exits: false });
  const dir = mkdtempSync(join(tmpdir(), 'mscope-calibration-'));
  try {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, code, { mode: 0o600 });
    const m = (await import(pathToFileURL(file).href)) as { work: Site; idle: Site };
    return { active: m.work, idle: m.idle };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function chunk(site: Site): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CHUNK; i++) sink = site(i, sink) & 0xffff;
  await new Promise((r) => setImmediate(r));
  return Number(process.hrtime.bigint() - t0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
