import { Instrumenter, patchCommonJs, registerSyncHooks, registerThreadHooks, type InstrumentOptions } from './hooks.js';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { packName } from './cache-pack.js';
import { installRuntime } from './runtime.js';
import { DeferredThreadHooks, needsHooksAtStart } from './deferred-hooks.js';
import { installToString, toStringHidden } from './to-string.js';
import { installStackColumns, stackColumnsFrozenOut } from './stack-columns.js';
import { collectsV8Coverage } from './coverage.js';
import { Scope } from './scope.js';
import { nodeProbeFactory } from './core-modules.js';
import { internally, registry } from '../core/index.js';
import { onProcess } from '../core/process-listeners.js';

export interface InstallOptions {
  /** Application root; default `MSCOPE_ROOT` or the working directory. */
  root?: string;
  /** Globs over module names, in order; `!glob` excludes (`--modules`). */
  modules?: string[];
  /** Where transformed code is cached; default `MSCOPE_CACHE_DIR` or node_modules/.cache/mscope. */
  cacheDir?: string;
  /** Report why each file or function is not instrumented (`mscope list --skipped`); slower starts. */
  explain?: boolean;
  /**
   * False when no `fn` return or error probe will be linked: functions get only their entry
   * prologue (docs/CONFORMANCE.md, "Rewrite fidelity"). Default true.
   */
  exits?: boolean;
}

export interface Installation {
  readonly root: string;
  /**
   * `sync` (module.registerHooks); on Node 20 the CommonJS patch, with `thread` once the
   * module.register hooks thread has started (at the first ES module, deferred-hooks.ts) and
   * `commonjs` before.
   */
  readonly hooks: 'sync' | 'thread' | 'commonjs' | 'none';
  readonly cacheDir: string | null;
  /**
   * What the program can see of the rewrite: empty, unless it froze the built-ins the rewrite
   * hides behind (--frozen-intrinsics): `toString()` of a rewritten function, stack columns.
   */
  readonly exposed: readonly string[];
  /** The process collects V8 coverage: no module is rewritten, so that its offsets stay true (coverage.ts). */
  readonly coverage: boolean;
}

/** Loaders whose hooks must sit inside ours: they turn TypeScript into the JavaScript we rewrite. */
const TS_LOADERS = /(^|[\/@])tsx(\/dist\/loader\.mjs|\/esm)?$/;

/**
 * `NODE_OPTIONS=--import <agent> npx tsx app.ts` runs the agent before tsx's own
 * `--import`, which would put tsx's hooks outside ours and hand us TypeScript. Importing
 * that loader first (Node's later `--import` of it is then a cached no-op) fixes the
 * order. The agent entry awaits this before `installInstrumentation`.
 */
export async function importPendingLoaders(): Promise<void> {
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const spec = a === '--import' ? argv[i + 1] : a.startsWith('--import=') ? a.slice('--import='.length) : undefined;
    if (spec !== undefined && TS_LOADERS.test(spec)) await import(spec);
  }
}

const KEY = Symbol.for('microscope.instrumentation');
type WithInstallation = typeof globalThis & { [KEY]?: Installation };

/**
 * Installs the runtime global and the load hooks so that modules loaded from now on are
 * instrumented. Idempotent: a second call (another copy of the package) returns the first.
 */
export function installInstrumentation(options: InstallOptions = {}): Installation {
  const g = globalThis as WithInstallation;
  const existing = g[KEY];
  if (existing !== undefined) return existing;
  // Our own setup (cache directory, paths): no provider sees its fs and path calls.
  return internally(() => install(g, options));
}

function install(g: WithInstallation, options: InstallOptions): Installation {
  if (collectsV8Coverage(process.env, process.execArgv)) {
    const untouched: Installation = { root: new Scope(options).root, hooks: 'none', cacheDir: null, exposed: [], coverage: true };
    g[KEY] = untouched;
    return untouched;
  }
  const runtime = installRuntime();
  installToString();
  installStackColumns();
  const exposed = [...(toStringHidden() ? [] : ['toString()']), ...(stackColumnsFrozenOut() ? ['stack trace columns'] : [])];
  registry.addFactory(nodeProbeFactory);
  const onSkip = (module: string, func: string, reason: string): void => runtime.skip('fn', module, func, reason);
  const inst = new Instrumenter(options, onSkip);
  const resolved: InstrumentOptions = {
    root: inst.scope.root,
    cacheDir: inst.cache.dir ?? undefined,
    modules: options.modules,
    explain: options.explain,
    exits: options.exits,
  };
  usePack(inst, options);
  const sync = registerSyncHooks(inst);
  let thread: DeferredThreadHooks | null = null;
  if (sync) patchCommonJs(inst);
  else {
    const deferred = new DeferredThreadHooks(() => registerThreadHooks(resolved, onSkip));
    patchCommonJs(inst, (source, format) => deferred.beforeCompile(source, format));
    if (needsHooksAtStart(process.argv, process.execArgv, process.env.NODE_OPTIONS)) deferred.ensure();
    thread = deferred;
  }
  enableCodeCache(inst.cache.dir);
  const installation: Installation = {
    root: inst.scope.root,
    get hooks() {
      return thread === null ? 'sync' : thread.isStarted ? 'thread' : 'commonjs';
    },
    cacheDir: inst.cache.dir,
    exposed,
    coverage: false,
  };
  g[KEY] = installation;
  return installation;
}

/**
 * The main thread reads its program's cache entries from one pack file (cache-pack.ts) and,
 * when the run used entries the pack lacked, writes them back at exit. Worker threads, and
 * Node 20's hooks thread, read entry by entry: a pack per program, not per thread.
 */
function usePack(inst: Instrumenter, options: InstallOptions): void {
  if (!isMainThread || options.explain === true) return;
  const name = packName([inst.scope.root, process.argv[1] ?? '', options.exits === false ? 'entry' : 'exits']);
  inst.cache.usePack(name, () => onProcess('exit', () => internally(() => inst.cache.savePack()), 'once'));
}

type EnableCompileCache = (dir: string) => unknown;

/**
 * Rewritten modules are larger than the originals, and compiling them was most of the warm
 * start's overhead: V8's code cache (Node 22.1+) next to ours removes it. The user's own
 * NODE_COMPILE_CACHE wins; Node 20 has no such cache.
 */
function enableCodeCache(dir: string | null): void {
  const enable = (nodeModule as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (dir === null || enable === undefined || process.env.NODE_COMPILE_CACHE !== undefined) return;
  enable(join(dir, 'v8'));
}
