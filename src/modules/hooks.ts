import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { TransformCache } from './cache.js';
import { internalWork, recordOwnThread } from '../core/index.js';
import { importsBesidesOwn } from '../core/node-flags.js';
import { Scope, type ScopeOptions } from './scope.js';
import { isTransformed, transform } from './transform.js';
import { summarizeUnnamed } from './naming.js';

export interface InstrumentOptions extends ScopeOptions {
  readonly cacheDir?: string;
  /**
   * Also report each file left out of scope and each function that is not a site, with the
   * reason (`mscope list --skipped`). Every file is then transformed afresh: the cache holds code only.
   */
  readonly explain?: boolean;
  /** TransformOptions.exits: whether `return` and `error` probes can be enabled. Default true. */
  readonly exits?: boolean;
}

export type SkipSink = (module: string, func: string, reason: string) => void;

/** Code to evaluate instead of the original, and the format it now has. */
export interface Instrumented {
  readonly code: string;
  readonly format: string;
}

type StripFn = (code: string, options: { mode: 'strip' }) => string;
const strip = (nodeModule as unknown as { stripTypeScriptTypes?: StripFn }).stripTypeScriptTypes;

/**
 * The pipeline every hook shares: scope → (type stripping) → cache → transform. Holds no
 * probe state, so Node 20's ESM hooks thread runs its own copy.
 */
export class Instrumenter {
  readonly scope: Scope;
  readonly cache: TransformCache;
  /** True while transforming: the parser's own modules, loaded lazily, are left as they are. */
  private busy = false;
  private readonly explain: boolean;
  private readonly exits: boolean;

  constructor(
    options: InstrumentOptions,
    private readonly onSkip: SkipSink,
  ) {
    this.scope = new Scope(options);
    this.explain = options.explain === true;
    this.exits = options.exits !== false;
    this.cache = TransformCache.open(this.scope.root, options.cacheDir);
  }

  /** null: evaluate the original unchanged. Our own work: providers do not see its fs and path calls. */
  process(source: string, filename: string, format: string | undefined): Instrumented | null {
    internalWork.depth++;
    try {
      return this.instrument(source, filename, format);
    } finally {
      internalWork.depth--;
    }
  }

  private instrument(source: string, filename: string, format: string | undefined): Instrumented | null {
    if (this.busy || isTransformed(source)) return null;
    const d = this.scope.classify(filename);
    if (d === null) return null;
    if (!d.instrument) {
      if (this.explain) this.onSkip(d.module, '*', d.reason!);
      return null;
    }
    const fmt = format === 'module' || format === 'module-typescript' ? 'module' : 'commonjs';
    let code = source;
    if (format === 'module-typescript' || format === 'commonjs-typescript') {
      if (strip === undefined) {
        this.onSkip(d.module, '*', 'TypeScript that this Node cannot strip: load it through tsx');
        return null;
      }
      code = stripQuietly(strip, source);
    } else if (format !== undefined && format !== 'module' && format !== 'commonjs') {
      this.skipFile(filename, format);
      return null;
    }
    const variant = this.exits ? fmt : `${fmt}:entry`;
    // The pack compares whole sources, so a warm start computes no key.
    let cached = this.explain ? undefined : this.cache.packed(code, d.module, variant);
    let key: string | null = null;
    if (cached === undefined && !this.explain) {
      key = TransformCache.key(code, d.module, variant);
      cached = this.cache.get(key);
      if (cached !== undefined) this.cache.remember(code, d.module, variant, cached);
    }
    if (cached !== undefined) return cached === '' ? (code === source ? null : { code, format: fmt }) : { code: cached, format: fmt };
    this.busy = true;
    try {
      const out = transform(code, { module: d.module, format: fmt as 'module' | 'commonjs', exits: this.exits });
      if (this.explain) for (const u of summarizeUnnamed(out.unnamed)) this.onSkip(d.module, u.func, u.reason);
      const stored = out.sites.length === 0 ? '' : out.code;
      this.cache.set(key ?? TransformCache.key(code, d.module, variant), stored);
      if (!this.explain) this.cache.remember(code, d.module, variant, stored);
      if (out.sites.length === 0 && code === source) return null;
      return { code: out.code, format: fmt };
    } catch (e) {
      this.onSkip(d.module, '*', `does not parse: ${e instanceof Error ? e.message : String(e)}`);
      return code === source ? null : { code, format: fmt };
    } finally {
      this.busy = false;
    }
  }

  /** JSON, native addons, WebAssembly: nothing to rewrite, but `list --skipped` says so. */
  skipFile(filename: string, format: string): void {
    internalWork.depth++;
    const d = this.scope.classify(filename);
    internalWork.depth--;
    if (d === null || !d.instrument) return;
    const what = format === 'json' ? 'JSON module' : format === 'addon' ? 'native addon' : `${format} module`;
    this.onSkip(d.module, '*', `${what}: no JavaScript functions to instrument`);
  }
}

let warned = false;

/**
 * Node warns once that stripTypeScriptTypes is experimental; the user asked Node for type
 * stripping, not us, so that one warning is swallowed. Other warnings pass through.
 */
function stripQuietly(fn: StripFn, source: string): string {
  if (warned) return fn(source, { mode: 'strip' });
  warned = true;
  const emit = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (text.includes('stripTypeScriptTypes')) return;
    Reflect.apply(emit, process, [warning, ...rest]);
  } as typeof process.emitWarning;
  try {
    return fn(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}

function formatOf(filename: string, format: string | undefined): string {
  if (filename.endsWith('.json')) return 'json';
  if (filename.endsWith('.node')) return 'addon';
  return format ?? 'commonjs';
}

interface CjsModule {
  _compile(content: string, filename: string, format?: string): unknown;
}
type Extension = (this: unknown, module: unknown, filename: string) => unknown;
type ModuleStatics = { prototype: CjsModule; _extensions: Record<string, Extension> };

/**
 * CommonJS on every Node version: sees the final JavaScript of any loader before it (tsx
 * included). `beforeCompile` sees every module's code first, in scope or not (Node 20's
 * deferred hooks thread).
 */
export function patchCommonJs(inst: Instrumenter, beforeCompile?: (source: string, format: string | undefined) => void): void {
  const Module = nodeModule.default as unknown as ModuleStatics;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (this: CjsModule, content: string, filename: string, format?: string): unknown {
    if (beforeCompile !== undefined) {
      internalWork.depth++;
      try {
        beforeCompile(content, format);
      } finally {
        internalWork.depth--;
      }
    }
    const out = inst.process(content, filename, format);
    // The module's own code is the program's again, even when the loader read it (below).
    const outer = internalWork.depth;
    internalWork.depth = 0;
    try {
      if (out === null) return compile.call(this, content, filename, format);
      const stripped = format === 'commonjs-typescript' || format === 'module-typescript';
      return compile.call(this, out.code, filename, stripped ? out.format : format);
    } finally {
      internalWork.depth = outer;
    }
  };
  // Node 20's loader reads a CommonJS file through the public fs.readFileSync: not the program's I/O.
  const js = Module._extensions['.js'];
  if (js !== undefined) {
    Module._extensions['.js'] = function (this: unknown, module: unknown, filename: string): unknown {
      internalWork.depth++;
      try {
        return js.call(this, module, filename);
      } finally {
        internalWork.depth--;
      }
    };
  }
  for (const ext of ['.json', '.node']) {
    const original = Module._extensions[ext];
    if (original === undefined) continue;
    Module._extensions[ext] = function (this: unknown, module: unknown, filename: string): unknown {
      inst.skipFile(filename, formatOf(filename, undefined));
      return original.call(this, module, filename);
    };
  }
}

interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | ArrayBufferView | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: unknown) => LoadResult;
type RegisterHooks = (hooks: { load: (url: string, context: unknown, next: NextLoad) => LoadResult }) => unknown;

/** Node 22.15+: one synchronous, in-thread hook for `import` and `require`. */
export function registerSyncHooks(inst: Instrumenter): boolean {
  const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;
  if (registerHooks === undefined) return false;
  registerHooks({
    load(url, context, nextLoad) {
      // Node's default loader reads through the public fs functions here: not the program's I/O.
      internalWork.depth++;
      let r: LoadResult;
      try {
        r = nextLoad(url, context);
      } finally {
        internalWork.depth--;
      }
      return url.startsWith('file:') ? rewriteLoad(inst, url, r) : r;
    },
  });
  return true;
}

/** Shared by the sync hook and Node 20's hooks thread. */
export function rewriteLoad(inst: Instrumenter, url: string, r: LoadResult): LoadResult {
  const format = r.format ?? undefined;
  const filename = fileURLToPath(url);
  if (format === 'json' || format === 'wasm' || format === 'addon') {
    inst.skipFile(filename, format);
    return r;
  }
  if (r.source === null || r.source === undefined) return r;
  const source = typeof r.source === 'string' ? r.source : Buffer.from(r.source as ArrayBuffer).toString('utf8');
  const out = inst.process(source, filename, format);
  return out === null ? r : { ...r, source: out.code, format: out.format };
}

/** Node 20: ESM hooks run on their own thread; skips come back over a port. */
export function registerThreadHooks(options: InstrumentOptions, onSkip: SkipSink): void {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (m: { module: string; func: string; reason: string }) => onSkip(m.module, m.func, m.reason));
  port1.unref();
  const self = import.meta.url;
  const loader = new URL(`./loader-hooks${self.slice(self.lastIndexOf('.'))}`, self);
  // The main, for a hook-loaded main's way back to CommonJS: not where the program's own --import would refuse it untraced too.
  const ownImportsOnly = !importsBesidesOwn(process.execArgv, process.env.NODE_OPTIONS);
  const main = ownImportsOnly ? (process.argv[1] ?? null) : null;
  const threadIdCell = new Int32Array(new SharedArrayBuffer(4));
  nodeModule.register(loader, { data: { options, port: port2, main, threadIdCell }, transferList: [port2] });
  // The hooks thread is ours unless the program's own --import or loader started it first.
  if (ownImportsOnly) recordOwnThread(Atomics.load(threadIdCell, 0));
}
