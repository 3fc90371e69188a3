import type * as Inspector from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { builtin, compileGlob, eventStack, isGlob, isOwnFrame, nowNs, registry, type Probe, type ProbeDescription } from '../core/index.js';
import { postNow } from '../core/inspector-post.js';
import { sourceMapOf } from '../core/source-map.js';
import { recordArgs, type ProfileRecord } from './catalogue.js';
import { emit, HookGroup, onToggle } from './hooks.js';
import { onProcess } from '../core/process-listeners.js';

/**
 * `profile:::profile-N`: the main thread's stack sampled at N Hz by V8's sampling profiler,
 * driven through an in-process inspector session. V8 takes the samples from its own
 * sampler thread without stopping JavaScript; every `flushMs` the profile is stopped,
 * turned into one event per sample (timestamp set to the sample's time) and restarted,
 * so events arrive in batches up to `flushMs` late. With several rates enabled, V8 samples
 * at the highest and each probe keeps one sample per period. The activity of a sample is
 * not known (0). Frames are source-mapped as Error stacks are (when Node has the module's
 * map), microScope's own frames are left out, and a sample of only our work (the flush,
 * a monitor run from a timer) is dropped. ustack() in a clause prints the sample's stack.
 */
const COMMON_RATES = [97, 99, 199, 499, 997, 1000];
const NAME = /^profile-([1-9][0-9]*)$/;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

interface RateProbe {
  hz: number;
  probe: Probe;
  nextUs: number;
}

const options = { flushMs: 1000 };
const rates = new Map<Probe, RateProbe>();
let group: HookGroup | null = null;
let session: Inspector.Session | null = null;
let timer: NodeJS.Timeout | null = null;
let activeHz = 0;

export function registerProfile(): void {
  if (group !== null) return;
  group = new HookGroup(start, stop);
  for (const hz of COMMON_RATES) profileProbe(hz);
}

export function configureProfile(next: { flushMs?: number }): void {
  Object.assign(options, next);
}

export function profiling(): boolean {
  return session !== null;
}

function profileProbe(hz: number): Probe {
  const existing = registry.lookup('profile', '', '', `profile-${hz}`);
  if (existing !== undefined) return existing;
  const probe = registry.register('profile', '', '', `profile-${hz}`, recordArgs('profile_t'));
  rates.set(probe, { hz, probe, nextUs: 0 });
  group!.add(probe);
  // A new rate may be faster than the one V8 samples at now.
  onToggle(probe, () => {
    if (session !== null && highestRate() !== activeHz) restartProfiler();
  });
  return probe;
}

/** Creates `profile-N` for a literal N named by a description. */
export function ensureProfileProbes(d: ProbeDescription): Probe[] {
  if (!compileGlob(d.provider)('profile') || isGlob(d.name)) return [];
  const m = NAME.exec(d.name);
  return m === null ? [] : [profileProbe(Number(m[1]))];
}

function highestRate(): number {
  let hz = 0;
  for (const r of rates.values()) if (r.probe.enabled && r.hz > hz) hz = r.hz;
  return hz;
}

function post<T>(method: string, params?: object): T {
  return postNow<T>(session!, method, params);
}

function start(): void {
  session = new (builtin<typeof Inspector>('node:inspector').Session)();
  session.connect();
  post('Profiler.enable');
  startProfiler();
  timer = setInterval(flush, options.flushMs);
  timer.unref();
  // The last batch would otherwise be lost when the program ends between two flushes.
  onProcess('beforeExit', flush);
}

function stop(): void {
  process.off('beforeExit', flush);
  if (timer !== null) clearInterval(timer);
  timer = null;
  if (session === null) return;
  post('Profiler.stop');
  post('Profiler.disable');
  session.disconnect();
  session = null;
}

function startProfiler(): void {
  activeHz = Math.max(1, highestRate());
  post('Profiler.setSamplingInterval', { interval: Math.max(1, Math.round(1e6 / activeHz)) });
  post('Profiler.start');
}

function restartProfiler(): void {
  flush();
}

function flush(): void {
  if (session === null) return;
  const { profile } = post<{ profile: CpuProfile }>('Profiler.stop');
  const deliveredNs = nowNs();
  startProfiler();
  deliver(profile, deliveredNs);
}

function deliver(profile: CpuProfile, deliveredNs: number): void {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length === 0) return;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const stacks = new Map<number, string[] | null>();
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const id = samples[i]!;
    let stack = stacks.get(id);
    if (stack === undefined) stacks.set(id, (stack = stackOf(id, byId, parent)));
    if (stack === null) continue;
    const tsNs = deliveredNs - Math.round((profile.endTime - t) * 1e3);
    for (const r of rates.values()) {
      if (!r.probe.enabled || t < r.nextUs) continue;
      r.nextUs = t + 1e6 / r.hz;
      const rec: ProfileRecord = { stack: stack.join('\n'), top: stack[0] ?? '', activity: 0 };
      eventStack.frames = stack;
      emit(r.probe, rec, tsNs);
      eventStack.frames = null;
    }
  }
}

/** Innermost first; null for a sample of microScope's own work, which is not the program's. */
function stackOf(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): string[] | null {
  const out: string[] = [];
  let own = false;
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    if (f.functionName === '(root)') break;
    const frame = frameText(f);
    if (isOwnFrame(frame)) own = true;
    else out.push(frame);
  }
  if (own && out.every((f) => f.includes('(node:'))) return null;
  return out;
}

/** As an Error stack prints it: `name (location:line:col)`, at the original position when mapped. */
function frameText(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  if (f.url === '') return name;
  const map = sourceMapOf(f.url);
  const e = map?.findEntry(f.lineNumber, f.columnNumber);
  if (e === undefined || !('originalSource' in e)) return `${name} (${f.url}:${f.lineNumber + 1}:${f.columnNumber + 1})`;
  const source = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : e.originalSource;
  return `${name} (${source}:${e.originalLine + 1}:${e.originalColumn + 1})`;
}
