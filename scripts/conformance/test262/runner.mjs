import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MARKER, transform } from '../../../dist/modules/transform.js';
import { parseFrontmatter, runsOf } from './frontmatter.mjs';
import { compileRealmRuntime } from './realm-runtime.mjs';

/**
 * Runs one test262 test as INTERPRETING.md says (a fresh vm realm per run, harness files,
 * strict/non-strict/module/raw, negative phase and type, async via print) either plainly
 * or through microScope's load-time rewrite with every fn probe linked to a counting
 * monitor. Needs --experimental-vm-modules for module tests and dynamic import().
 */

export const TEST262 = process.env.TEST262_DIR ?? findShared();

/** `shared/test262` beside the checkout (main, a worktree or CI's clone); null when absent. */
function findShared() {
  for (let dir = resolve(import.meta.dirname, '../../..'); ; dir = dirname(dir)) {
    const candidate = resolve(dir, '..', 'shared', 'test262');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
const HARNESS = resolve(TEST262 ?? '.', 'harness');
/** Turns of the event loop an async test gets to call print() before it counts as never finished. */
const ASYNC_TURNS = 20;

v8.setFlagsFromString('--expose-gc');
const hostGc = vm.runInNewContext('gc');

const harnessScripts = new Map();
function harness(name) {
  let s = harnessScripts.get(name);
  if (s === undefined) {
    const file = resolve(HARNESS, name);
    s = new vm.Script(readFileSync(file, 'utf8'), { filename: file });
    harnessScripts.set(name, s);
  }
  return s;
}

let installRealmRuntime = null;

/** The realm's side of `print` and `$262`: realm functions calling into the host. */
const SETUP = new vm.Script(`(function (host) {
  var define = function (o, k, v) { Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false }); };
  var $262 = {
    global: globalThis,
    createRealm: function () { return host.createRealm(); },
    evalScript: function (src) { return host.evalScript(String(src)); },
    detachArrayBuffer: function (buffer) { return host.detach(buffer); },
    gc: function () { return host.gc(); },
    agent: {}
  };
  define(globalThis, 'print', function (msg) { host.print(String(msg)); });
  define(globalThis, '$262', $262);
  return $262;
})`);

class Realm {
  constructor(run) {
    this.run = run;
    this.context = vm.createContext();
    this.$262 = SETUP.runInContext(this.context)({
      createRealm: () => new Realm(null).$262,
      evalScript: (src) => this.evalScript(src),
      detach: (buffer) => void structuredClone(buffer, { transfer: [buffer] }),
      gc: () => hostGc(),
      print: (msg) => run?.printed.push(msg),
    });
  }

  /** A host SyntaxError is re-thrown as the realm's own, as a script tag would report it. */
  evalScript(src) {
    let script;
    try {
      script = new vm.Script(src, { filename: 'evalScript', importModuleDynamically: this.run?.dynamicImport });
    } catch (e) {
      const Ctor = vm.runInContext(e?.name === 'SyntaxError' ? 'SyntaxError' : 'Error', this.context);
      throw new Ctor(e?.message);
    }
    return script.runInContext(this.context);
  }
}

/** What a run produced; two runs are the same when `key()` is. */
export class Outcome {
  constructor(pass, phase, error, message, rejections) {
    this.pass = pass;
    this.phase = phase;
    this.error = error;
    this.message = message;
    this.rejections = rejections;
  }

  key() {
    return `${this.pass ? 'pass' : 'fail'}|${this.phase ?? ''}|${this.error ?? ''}|${this.rejections}`;
  }
}

function errorName(e) {
  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return typeof e === 'string' ? 'string' : String(e);
  try {
    const own = Object.getOwnPropertyDescriptor(e, 'constructor');
    const ctor = own === undefined ? Object.getPrototypeOf(e)?.constructor : own.value;
    return typeof ctor?.name === 'string' ? ctor.name : 'object';
  } catch {
    return 'object';
  }
}

function errorMessage(e) {
  try {
    return String(e?.message ?? e).slice(0, 200);
  } catch {
    return '?';
  }
}

/** Unhandled rejections are part of an outcome: the rewrite must not change which are handled. */
const active = { run: null };
process.on('unhandledRejection', (_reason, promise) => {
  active.run?.unhandled.add(promise);
});
process.on('rejectionHandled', (promise) => {
  active.run?.unhandled.delete(promise);
});

/** One execution of one variant of a test, plain or traced. */
class Run {
  constructor(file, variant, traced) {
    this.file = file;
    this.variant = variant;
    this.traced = traced;
    this.printed = [];
    this.unhandled = new Set();
    this.modules = new Map();
    this.sites = 0;
    this.skip = null;
    this.counts = null;
    this.dynamicImport = (specifier, referrer) => this.importDynamic(specifier, referrer);
  }

  /** The source the program would evaluate: rewritten unless acorn rejects it, as the agent does. */
  rewrite(code, format, file) {
    if (!this.traced) return code;
    try {
      const out = transform(code, { module: relative(TEST262, file), format });
      this.sites += out.sites.length;
      if (out.sites.length > 0 && !out.code.includes(MARKER)) throw new Error('rewrite produced sites but no marker');
      return out.code;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      this.skip ??= `acorn: ${e.message}`;
      return code;
    }
  }

  loadModule(file) {
    let m = this.modules.get(file);
    if (m !== undefined) return m;
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      const value = vm.runInContext('JSON.parse', this.realm.context)(text);
      m = new vm.SyntheticModule(
        ['default'],
        function () {
          this.setExport('default', value);
        },
        { context: this.realm.context, identifier: file },
      );
    } else {
      m = new vm.SourceTextModule(this.rewrite(text, 'module', file), {
        context: this.realm.context,
        identifier: file,
        importModuleDynamically: this.dynamicImport,
        initializeImportMeta: () => {},
      });
    }
    this.modules.set(file, m);
    return m;
  }

  link(specifier, referrer) {
    const base = referrer?.identifier && referrer.identifier !== 'evalScript' ? dirname(referrer.identifier) : dirname(this.file);
    return this.loadModule(resolve(base, specifier));
  }

  async importDynamic(specifier, referrer) {
    const m = this.link(specifier, referrer);
    if (m.status === 'unlinked') await m.link((s, r) => this.link(s, r));
    if (m.status !== 'evaluated' && m.status !== 'errored') await m.evaluate();
    return m;
  }

  async execute() {
    const { meta, source } = testSource(this.file);
    this.realm = new Realm(this);
    if (this.traced) {
      installRealmRuntime ??= compileRealmRuntime();
      this.counts = installRealmRuntime(this.realm.context);
    }
    if (this.variant !== 'raw') {
      const names = ['assert.js', 'sta.js'];
      if (meta.flags.includes('async')) names.push('doneprintHandle.js');
      names.push(...meta.includes);
      for (const n of names) harness(n).runInContext(this.realm.context);
    }
    let phase = 'parse';
    try {
      if (this.variant === 'module') {
        const m = this.loadModule(this.file);
        phase = 'resolution';
        await m.link((s, r) => this.link(s, r));
        phase = 'runtime';
        if ((await settled(m.evaluate())) === PENDING) return { phase, error: new UnsettledAwait() };
      } else {
        const code = this.rewrite(this.variant === 'strict' ? `"use strict";\n${source}` : source, 'commonjs', this.file);
        const script = new vm.Script(code, { filename: this.file, importModuleDynamically: this.dynamicImport });
        phase = 'runtime';
        script.runInContext(this.realm.context);
      }
    } catch (e) {
      return { phase, error: e };
    }
    if (meta.flags.includes('async')) {
      for (let i = 0; i < ASYNC_TURNS && this.printed.length === 0; i++) await nextTurn();
    }
    return null;
  }

  async outcome() {
    const { meta } = testSource(this.file);
    active.run = this;
    let thrown;
    try {
      thrown = await this.execute();
      await nextTurn();
      await nextTurn();
    } finally {
      active.run = null;
    }
    const rejections = this.unhandled.size;
    const neg = meta.negative;
    if (thrown !== null) {
      const name = errorName(thrown.error);
      const pass = neg !== null && neg.phase === thrown.phase && neg.type === name;
      return new Outcome(pass, thrown.phase, name, errorMessage(thrown.error), rejections);
    }
    if (neg !== null) return new Outcome(false, null, null, `expected ${neg.phase} ${neg.type}`, rejections);
    if (meta.flags.includes('async')) {
      const done = this.printed.find((m) => m.startsWith('Test262:Async'));
      if (done === undefined) return new Outcome(false, 'async', null, 'print() never called', rejections);
      if (done !== 'Test262:AsyncTestComplete') {
        const failure = done.slice('Test262:AsyncTestFailure:'.length);
        return new Outcome(false, 'async', failure.split(':')[0], failure.slice(0, 200), rejections);
      }
    }
    return new Outcome(true, null, null, null, rejections);
  }
}

const PENDING = Symbol('pending');

/** Node's exit 13: top-level await on a promise nothing can settle any more. */
class UnsettledAwait extends Error {}

/**
 * The realm has no timers and no I/O: a promise still pending after some turns of the event
 * loop can never settle. Resolves to its value, or PENDING.
 */
async function settled(promise) {
  let state = PENDING;
  promise.then(
    (v) => (state = { v }),
    () => {},
  );
  for (let i = 0; i < ASYNC_TURNS && state === PENDING; i++) await nextTurn();
  if (state === PENDING) return PENDING;
  return promise;
}

const sources = new Map();
function testSource(file) {
  let s = sources.get(file);
  if (s === undefined) {
    const source = readFileSync(file, 'utf8');
    s = { source, meta: parseFrontmatter(source) };
    sources.clear();
    sources.set(file, s);
  }
  return s;
}

/**
 * Every variant of `file`, plain then traced. `sites`: functions the rewrite made probes of;
 * `fired`: entry/return/error events the counting monitor saw; `probes`: probes registered,
 * which is > 0 exactly when the rewritten module header ran in the realm.
 */
export async function runTest(file, modes = ['plain', 'traced']) {
  const { meta } = testSource(file);
  const results = [];
  for (const variant of runsOf(meta)) {
    const r = { variant };
    for (const mode of modes) {
      const run = new Run(file, variant, mode === 'traced');
      const outcome = await run.outcome();
      r[mode] = outcome;
      if (run.traced) {
        r.sites = run.sites;
        r.skip = run.skip;
        r.fired = run.counts === null ? null : { ...run.counts.counts };
        r.probes = run.counts === null ? 0 : run.counts.probes();
      }
    }
    results.push(r);
  }
  return { negative: meta.negative !== null, flags: meta.flags, results };
}
