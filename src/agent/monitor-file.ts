import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  BINDING_KINDS,
  ErrorCode,
  INTERNAL_THREAD_ENV,
  MscopeError,
  ProbeDescription,
  compileGlob,
  type BindingKind,
  type ProbeEvent,
} from '../core/index.js';
import type { EventHandler, MonitorOutput } from './define-monitor.js';

/** One link a monitor file asks for: a description narrowed to the probe names it handles. */
export interface MonitorLink {
  readonly description: ProbeDescription;
  readonly handler: EventHandler;
}

export interface LoadedMonitorFile {
  readonly links: readonly MonitorLink[];
  readonly binding: BindingKind | undefined;
  readonly onExit: ((out: MonitorOutput) => void) | undefined;
  /** Called in the worker of a shm or message link; see MonitorDefinition. */
  readonly onFlush: (() => unknown) | undefined;
  readonly onMerge: ((result: unknown) => void) | undefined;
}

const TS_FILE = /\.[cm]?tsx?$/;

/** Imports a `--monitor` file (TypeScript through tsx) and checks what it exports. */
export async function loadMonitorFile(path: string, name: string): Promise<LoadedMonitorFile> {
  if (!existsSync(path)) throw bad(name, 'no such file');
  let mod: Record<string, unknown>;
  try {
    const url = pathToFileURL(path).href;
    if (TS_FILE.test(path)) {
      mod = await importTypeScript(url);
    } else {
      mod = (await import(url)) as Record<string, unknown>;
    }
  } catch (error) {
    throw bad(name, describeLoadError(error), error);
  }
  return checkMonitor(pickDefinition(mod), name);
}

/**
 * Set while a TypeScript monitor loads. tsx's esbuild would start a worker thread (on Node 20
 * from the hooks thread) that the agent's NODE_OPTIONS starts an agent in: that agent loads
 * this file again, its esbuild starts another worker, and so on (two threads and 30 MB a
 * second on Node 20). Without worker threads esbuild runs its binary per transform instead.
 * Any thread that starts meanwhile is internal, so the agent stays out of it.
 */
const LOADING_ENV: Readonly<Record<string, string>> = { ESBUILD_WORKER_THREADS: '0', [INTERNAL_THREAD_ENV]: '1' };
const INTERNAL_ENV: Readonly<Record<string, string>> = { [INTERNAL_THREAD_ENV]: '1' };

/** Requires as tsx does, so that `esbuild` is the copy tsx's transforms use. */
const requireAsTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));

async function importTypeScript(url: string): Promise<Record<string, unknown>> {
  const esbuild = requireAsTsx.resolve('esbuild');
  // esbuild reads ESBUILD_WORKER_THREADS once, as it loads, but its worker copies the environment
  // when it starts: an esbuild loaded before (`--import tsx`) whose worker started under the flag
  // got a worker that exits at once, and the thread waiting for its transform waited forever.
  const loadsEsbuild = requireAsTsx.cache[esbuild] === undefined;
  if (loadsEsbuild) withEnv(LOADING_ENV, () => requireAsTsx(esbuild));
  const { tsImport } = await import('tsx/esm/api');
  // Set only while tsImport registers its hooks (on Node 20 the hooks thread copies the
  // environment then) and loads the file itself: never across an await, where other code runs.
  return (await withEnv(loadsEsbuild ? LOADING_ENV : INTERNAL_ENV, () => tsImport(url, import.meta.url))) as Record<string, unknown>;
}

function withEnv<T>(vars: Readonly<Record<string, string>>, run: () => T): T {
  const prior = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, vars);
  try {
    return run();
  } finally {
    for (const [k, v] of prior) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** `export default defineMonitor({...})` or named exports; CommonJS lands on `default`. */
function pickDefinition(mod: Record<string, unknown>): Record<string, unknown> {
  const d = mod.default;
  if (!('probes' in mod) && typeof d === 'object' && d !== null && 'probes' in d) return d as Record<string, unknown>;
  return mod;
}

function checkMonitor(def: Record<string, unknown>, name: string): LoadedMonitorFile {
  const probes = def.probes;
  const texts = typeof probes === 'string' ? [probes] : Array.isArray(probes) ? (probes as unknown[]) : null;
  if (texts === null || texts.length === 0 || texts.some((t) => typeof t !== 'string')) {
    throw bad(name, 'exports no probes (expected `probes`: a probe description or an array of them)');
  }
  const handler = (key: string): EventHandler | undefined => {
    const h = def[key];
    if (h === undefined) return undefined;
    if (typeof h !== 'function') throw bad(name, `export \`${key}\` is not a function`);
    return (h as EventHandler).bind(def);
  };
  const byName: [string, EventHandler | undefined][] = [
    ['entry', handler('onEntry')],
    ['return', handler('onReturn')],
    ['error', handler('onError')],
  ];
  const onEvent = handler('onEvent');
  if (onEvent === undefined && byName.every(([, h]) => h === undefined)) {
    throw bad(name, 'exports no handler (onEntry, onReturn, onError or onEvent)');
  }
  const optional = <F>(key: string): F | undefined => {
    const f = def[key];
    if (f === undefined) return undefined;
    if (typeof f !== 'function') throw bad(name, `export \`${key}\` is not a function`);
    return (f as (...a: unknown[]) => unknown).bind(def) as F;
  };
  const onExit = optional<(out: MonitorOutput) => void>('onExit');
  const onFlush = optional<() => unknown>('onFlush');
  const onMerge = optional<(result: unknown) => void>('onMerge');
  // One without the other loses data silently under shm and message: say so before CMD runs.
  if ((onFlush === undefined) !== (onMerge === undefined)) {
    throw bad(
      name,
      `exports ${onFlush === undefined ? 'onMerge without onFlush' : 'onFlush without onMerge'}; a monitor run in a worker needs both`,
    );
  }
  const binding = def.binding;
  if (binding !== undefined && !BINDING_KINDS.includes(binding as BindingKind)) {
    throw bad(name, `unknown binding "${String(binding)}"; expected one of ${BINDING_KINDS.join(', ')}`);
  }
  const links: MonitorLink[] = [];
  for (const text of texts as string[]) {
    const d = parseDescription(text, name);
    const before = links.length;
    if (onEvent !== undefined) links.push({ description: d, handler: dispatcher(byName, onEvent) });
    else
      for (const [probeName, h] of byName)
        if (h !== undefined && compileGlob(d.name)(probeName)) links.push({ description: narrow(d, probeName), handler: h });
    if (links.length === before) throw bad(name, `probe description "${text}" selects no probe this monitor has a handler for`);
  }
  return {
    links,
    binding: binding as BindingKind | undefined,
    onExit,
    onFlush,
    onMerge,
  };
}

/** Linking only the names that have a handler keeps other probes disabled, and free. */
function narrow(d: ProbeDescription, probeName: string): ProbeDescription {
  return new ProbeDescription({ provider: d.provider, module: d.module, func: d.func, name: probeName }, d.text);
}

function dispatcher(byName: [string, EventHandler | undefined][], onEvent: EventHandler): EventHandler {
  const [[, entry = onEvent], [, ret = onEvent], [, err = onEvent]] = byName as [
    [string, EventHandler | undefined],
    [string, EventHandler | undefined],
    [string, EventHandler | undefined],
  ];
  return (ev: ProbeEvent, out: MonitorOutput) => {
    const n = ev.probe.name;
    (n === 'entry' ? entry : n === 'return' ? ret : n === 'error' ? err : onEvent)(ev, out);
  };
}

function parseDescription(text: string, name: string): ProbeDescription {
  try {
    return ProbeDescription.parse(text);
  } catch (error) {
    throw bad(name, error instanceof Error ? error.message : String(error));
  }
}

function bad(name: string, message: string, cause?: unknown): MscopeError {
  return new MscopeError(ErrorCode.BadMonitor, `monitor ${name}: ${message}`, { cause });
}

/** One line: esbuild's located error for TypeScript, V8's location plus message for JavaScript. */
function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const located = /([^\s:]+:\d+:\d+): ERROR: (.*)/.exec(error.message);
  if (located !== null) return `${located[1]}: ${located[2]}`;
  const first = error.message.split('\n')[0] ?? '';
  const where = error.name === 'SyntaxError' ? /^(file:\/\/\S+:\d+)\n/.exec(error.stack ?? '') : null;
  return `${where !== null ? `${where[1]}: ` : ''}${error.name}: ${first}`;
}
