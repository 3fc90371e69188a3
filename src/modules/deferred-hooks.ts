import fs from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join, sep } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { OWN_IMPORT, nodeFlags } from '../core/node-flags.js';

// Captured at load, like scope.ts: reading the main file must not show up in fs probes.
const { readFileSync } = fs;

/**
 * Node 20's ES module hooks run on a thread of their own, and `module.register` blocks the
 * main thread until that thread has booted a second Node (about 100 ms of CPU here,
 * docs/benchmarks.md). A CommonJS program needs none of it: the CommonJS compile hook
 * rewrites its files. So the thread starts at the first sign of an ES module: a main file that
 * may be one, or a CommonJS file about to compile that is one or could `import()` one.
 * Every ES module Node loads is reached through one of those (a static import's importer is
 * itself an ES module), so it is registered before any of them loads.
 */
export class DeferredThreadHooks {
  private started = false;

  constructor(private readonly start: () => void) {}

  get isStarted(): boolean {
    return this.started;
  }

  /** Starts the hooks thread once; later calls do nothing. */
  ensure(): void {
    if (this.started) return;
    this.started = true;
    this.start();
  }

  /** Called with each CommonJS module's code before it compiles: `format` is 'module' for require(esm). */
  beforeCompile(source: string, format: string | undefined): void {
    if (!this.started && (format === 'module' || format === 'module-typescript' || mayBeModuleCode(source))) this.ensure();
  }
}

/**
 * `import` anywhere (a dynamic `import()`, even in a string for `new Function`) or `export`:
 * code that may load an ES module or be one (Node detects module syntax in a .js file). Words
 * in comments start the thread too; that costs time, never a missed module.
 */
const MODULE_WORDS = /\b(?:import|export)\b/;

export function mayBeModuleCode(source: string): boolean {
  return MODULE_WORDS.test(source);
}

/** Flags with which Node may load an ES module before or without the main file's CommonJS compile. */
const MODULE_FLAGS =
  /^(?:--import|--loader|--experimental-loader|--experimental-default-type|--input-type|--eval|-e|--print|-p|--test|--experimental-vm-modules|--experimental-detect-module)(?:=|$)/;

/**
 * Whether the process must have the hooks thread from the start: a worker thread, a main file
 * that is or may be an ES module, or a flag that loads one. `argv` and `execArgv` as
 * `process.argv` and `process.execArgv`; `nodeOptions` the NODE_OPTIONS string.
 */
export function needsHooksAtStart(argv: readonly string[], execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  if (!isMainThread) return true;
  const flags = nodeFlags(execArgv, nodeOptions);
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (!MODULE_FLAGS.test(f)) continue;
    if (f === '--import' || f === '--loader' || f === '--experimental-loader') {
      if (!OWN_IMPORT.test(flags[i + 1] ?? '')) return true;
      i++;
      continue;
    }
    const value = f.slice(f.indexOf('=') + 1);
    if (f.startsWith('--import=') && OWN_IMPORT.test(value)) continue;
    return true;
  }
  const main = argv[1];
  if (main === undefined || main === '') return true;
  return mainMayBeModule(main);
}

/** A .cjs main is CommonJS; a .js (or extensionless) one is unless its package says module or its code could be one. */
function mainMayBeModule(main: string): boolean {
  let file: string;
  try {
    file = nodeModule.createRequire(join(process.cwd(), 'main')).resolve(main);
  } catch {
    // Node will report the missing main itself; the thread is started as before.
    return true;
  }
  if (file.endsWith('.cjs')) return false;
  const ext = file.slice(file.lastIndexOf(sep) + 1).includes('.') ? file.slice(file.lastIndexOf('.')) : '';
  if (ext !== '.js' && ext !== '') return true;
  const type = packageType(dirname(file));
  if (type !== 'commonjs' && type !== 'none') return true;
  try {
    return mayBeModuleCode(readFileSync(file, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * The nearest package.json's "type" as Node reads it for a .js file (it stops at a
 * node_modules directory): 'none' without one or without the field, 'unknown' when unreadable.
 */
function packageType(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (d.endsWith(`${sep}node_modules`)) return 'none';
    let text: string;
    try {
      text = readFileSync(join(d, 'package.json'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') return 'unknown';
      if (dirname(d) === d) return 'none';
      continue;
    }
    try {
      const type = (JSON.parse(text) as { type?: unknown }).type;
      return type === undefined ? 'none' : typeof type === 'string' ? type : 'unknown';
    } catch {
      return 'unknown';
    }
  }
}
