import { readFileSync, statSync, type Stats } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ErrorCode, MscopeError, ProbeDescription, compileGlob, inputFileRefusal, type ProbeEvent, unknownBinding } from '../core/index.js';
import type { EventHandler, MonitorLinkOptions, MonitorOutput } from './define-monitor.js';
import { holdSourceMaps, releaseSourceMaps } from './source-maps.js';

/** One link a monitor file asks for: a description narrowed to the probe names it handles. */
export interface MonitorLink {
  readonly description: ProbeDescription;
  readonly handler: EventHandler;
}

export interface LoadedMonitorFile {
  readonly links: readonly MonitorLink[];
  /** What the file declared of how it is linked (LINK_CHOICES), passed to every link. */
  readonly linkOptions: MonitorLinkOptions;
  readonly onExit: ((out: MonitorOutput) => void) | undefined;
  /** Called in the worker of a shm or message link; see MonitorDefinition. */
  readonly onFlush: (() => unknown) | undefined;
  readonly onMerge: ((result: unknown) => void) | undefined;
  /** Puts back what loading changed in the process (source maps/holdSourceMaps); once, after onExit. */
  readonly unload: () => void;
}

/**
 * The link options a monitor file may export, each with its check (null: accepted). One table,
 * so a new choice is declared, checked and linked in one place.
 */
const LINK_CHOICES: { readonly [K in keyof Required<MonitorLinkOptions>]: (value: unknown) => string | null } = {
  binding: unknownBinding,
  keepsEvents: (value) => boolean('keepsEvents', value),
  readsArgs: (value) => boolean('readsArgs', value),
  readsThis: (value) => boolean('readsThis', value),
  readsEvent: (value) => boolean('readsEvent', value),
};

function boolean(key: string, value: unknown): string | null {
  if (typeof value === 'boolean') return null;
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'object' || typeof value === 'function'
        ? `a ${typeof value}`
        : String(value);
  return `export \`${key}\` is ${shown}, not true or false`;
}

/** A TypeScript file, by its name: mscope compiles it (consumer/monitor-compile.ts). */
export const TS_FILE = /\.[cm]?tsx?$/;

/**
 * Imports a `--monitor` file and checks what it exports. A TypeScript file is imported from the
 * JavaScript mscope compiled it into (consumer/monitor-compile.ts), `path`, while `name` is the
 * file the user gave.
 */
export async function loadMonitorFile(path: string, name: string): Promise<LoadedMonitorFile> {
  checkMonitorFile(path, name);
  const typeScript = TS_FILE.test(name);
  if (typeScript) holdSourceMaps();
  const unload = typeScript ? releaseSourceMaps : () => {};
  try {
    return { ...checkMonitor(pickDefinition(await importMonitor(path, name)), name), unload };
  } catch (error) {
    unload();
    throw error;
  }
}

/** Far beyond any monitor, bundled or not: a bound, so that a huge or endless file is refused rather than read. */
const MAX_MONITOR_BYTES = 64 * 1024 * 1024;

/**
 * Refuses what is not a regular file of a sane size before anything reads it: importing a FIFO
 * waited for a writer forever, a device such as /dev/zero was read until memory ran out, and a
 * directory failed with the loader's words about mscope's own files.
 */
export function checkMonitorFile(path: string, name: string): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw monitorError(name, code === 'ENOENT' ? 'no such file' : (code ?? String(error)));
  }
  const refused = inputFileRefusal(st, MAX_MONITOR_BYTES);
  if (refused !== null) throw monitorError(name, refused);
}

async function importMonitor(path: string, name: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof Error)) throw monitorError(name, String(error), error);
    const what = `${error.name}: ${error.message.split('\n')[0] ?? ''}`;
    if (error.name !== 'SyntaxError') throw monitorError(name, what, error);
    // V8 heads the stack with the place of a CommonJS file's parse error or an ES module's link
    // error (the file may be one the monitor imports); an ES module's parse error has none.
    const header = /^((?:file:\/\/)?\/\S*:\d+)\n/.exec(error.stack ?? '');
    const place = header !== null ? header[1]! : TS_FILE.test(name) ? null : await parseErrorAt(path, name);
    throw monitorError(name, place === null ? what : `${place}: ${what}`, error);
  }
}

/**
 * `NAME:LINE:COLUMN` of the ES module's first parse error by acorn's reading (microScope's
 * private copy), or null if acorn parses it: the error is then in a module it imports.
 */
async function parseErrorAt(path: string, name: string): Promise<string | null> {
  const { loadPrivateParser } = await import('../modules/private-parser.js');
  try {
    loadPrivateParser()(readFileSync(path, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
    return null;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return loc === undefined ? null : `${name}:${loc.line}:${loc.column + 1}`;
  }
}

/** `export default defineMonitor({...})` or named exports; CommonJS lands on `default`. */
function pickDefinition(mod: Record<string, unknown>): Record<string, unknown> {
  const d = mod.default;
  if (!('probes' in mod) && typeof d === 'object' && d !== null && 'probes' in d) return d as Record<string, unknown>;
  return mod;
}

function checkMonitor(def: Record<string, unknown>, name: string): Omit<LoadedMonitorFile, 'unload'> {
  const probes = def.probes;
  const texts = typeof probes === 'string' ? [probes] : Array.isArray(probes) ? (probes as unknown[]) : null;
  if (texts === null || texts.length === 0 || texts.some((t) => typeof t !== 'string')) {
    throw monitorError(name, 'exports no probes (expected `probes`: a probe description or an array of them)');
  }
  const handler = (key: string): EventHandler | undefined => {
    const h = def[key];
    if (h === undefined) return undefined;
    if (typeof h !== 'function') throw monitorError(name, `export \`${key}\` is not a function`);
    return (h as EventHandler).bind(def);
  };
  const byName: [string, EventHandler | undefined][] = [
    ['entry', handler('onEntry')],
    ['return', handler('onReturn')],
    ['error', handler('onError')],
  ];
  const onEvent = handler('onEvent');
  if (onEvent === undefined && byName.every(([, h]) => h === undefined)) {
    throw monitorError(name, 'exports no handler (onEntry, onReturn, onError or onEvent)');
  }
  const optional = <F>(key: string): F | undefined => {
    const f = def[key];
    if (f === undefined) return undefined;
    if (typeof f !== 'function') throw monitorError(name, `export \`${key}\` is not a function`);
    return (f as (...a: unknown[]) => unknown).bind(def) as F;
  };
  const onExit = optional<(out: MonitorOutput) => void>('onExit');
  const onFlush = optional<() => unknown>('onFlush');
  const onMerge = optional<(result: unknown) => void>('onMerge');
  // One without the other loses data silently under shm and message: say so before CMD runs.
  if ((onFlush === undefined) !== (onMerge === undefined)) {
    throw monitorError(
      name,
      `exports ${onFlush === undefined ? 'onMerge without onFlush' : 'onFlush without onMerge'}; a monitor run in a worker needs both`,
    );
  }
  const linkOptions: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(LINK_CHOICES)) {
    const value = def[key];
    if (value === undefined) continue;
    const problem = check(value);
    if (problem !== null) throw monitorError(name, problem);
    linkOptions[key] = value;
  }
  const links: MonitorLink[] = [];
  for (const text of texts as string[]) {
    const d = parseDescription(text, name);
    const before = links.length;
    if (onEvent !== undefined) links.push({ description: d, handler: dispatcher(byName, onEvent) });
    else
      for (const [probeName, h] of byName)
        if (h !== undefined && compileGlob(d.name)(probeName)) links.push({ description: narrow(d, probeName), handler: h });
    if (links.length === before) throw monitorError(name, `probe description "${text}" selects no probe this monitor has a handler for`);
  }
  return {
    links,
    linkOptions: linkOptions as MonitorLinkOptions,
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
    throw monitorError(name, error instanceof Error ? error.message : String(error));
  }
}

export function monitorError(name: string, message: string, cause?: unknown): MscopeError {
  return new MscopeError(ErrorCode.BadMonitor, `monitor ${name}: ${message}`, { cause });
}
