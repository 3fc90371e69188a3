import { registry, type Probe, type ProbeDescription } from '../core/index.js';
import { moduleSites } from '../modules/runtime.js';
import { Scope, type ScopeOptions } from '../modules/scope.js';
import { RETURN, ERROR, UNTRACKED, type ModuleSites, type Token } from '../modules/sites.js';
import { installToString, uninstallToString } from '../modules/to-string.js';
import { isTransformed, transform, type LiveEntry } from '../modules/transform.js';
import { lineOf, lineStarts } from '../core/lines.js';
import { BreakpointProbes, BREAKPOINT_BUDGET } from './breakpoint-probes.js';
import { SelfDebugger, type ParsedScript } from './debugger.js';

/**
 * Splicing into an attached process (KernInst's idea): the `fn` probes of functions compiled
 * before the attach, by live edit (`Debugger.setScriptSource`) of their script to the load-time
 * rewrite's text, and `line` probes, by breakpoints that never pause. V8 refuses an edit while
 * an edited function runs or is suspended (await, yield): it is retried, then the script's
 * probed functions fall back to breakpoints. Node 26's V8 has no live edit: breakpoints always.
 */

const RETRY_MS = 20;
const NO_BREAKPOINT_EXIT = 'none (its function runs on breakpoints: entry probes only)';
const NO_RETURN_POINT = 'none (no return point: closing brace shares its line)';
/** Attempts of a refused edit (about a second) before its probes fall back to breakpoints. */
const MAX_TRIES = 50;

type Mechanism = 'edit' | 'pending' | 'breakpoint';

interface Spliced {
  readonly script: ParsedScript;
  readonly module: string;
  readonly original: string;
  readonly edited: string;
  readonly prefix: string;
  readonly sites: ModuleSites;
  readonly entries: readonly LiveEntry[];
  mechanism: Mechanism;
  tries: number;
}

/** What `mscope links` says of a spliced probe. */
export interface SpliceInfo {
  readonly probe: string;
  readonly mechanism: string;
}

export class Splicer {
  private readonly debug = new SelfDebugger();
  private readonly scope: Scope;
  private readonly breakpoints: BreakpointProbes;
  private readonly spliced: Spliced[] = [];
  private readonly lines = new Map<string, Probe>();
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Whether this splicer installed the toString that hides its edits (and removes it). */
  private ownToString = false;
  /** CPU milliseconds each successful edit took (the bench: wall time says little on a loaded machine). */
  readonly editMs: number[] = [];
  /** CPU milliseconds of each script's whole splice at start (source, rewrites, probes, edit), in splice order. */
  readonly spliceMs: number[] = [];

  constructor(
    options: ScopeOptions,
    private readonly warn: (text: string) => void,
  ) {
    this.scope = new Scope(options);
    this.breakpoints = new BreakpointProbes(this.debug, warn);
  }

  /** Splices every probe the linked descriptions name; refused edits go on being retried. */
  start(): void {
    // A program without fn probes opens no session for them (Debugger.enable lists every script).
    if (registry.isArmedFor('fn')) {
      this.debug.enable();
      for (const s of this.debug.liveScripts()) {
        const d = this.scope.classify(s.file);
        if (d === null || !d.instrument || !registry.isArmedForModule('fn', d.module)) continue;
        const t0 = process.cpuUsage();
        if (!this.spliceScript(s, d.module)) continue;
        const t = process.cpuUsage(t0);
        this.spliceMs.push((t.user + t.system) / 1000);
      }
    }
    // After the edits: an edit drops the breakpoints of its script.
    registry.addFactory(this.lineFactory);
    this.idle();
  }

  /** Every edit undone (retried while V8 refuses), every breakpoint removed. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    registry.removeFactory(this.lineFactory);
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    this.debug.enable();
    this.breakpoints.removeAll();
    this.restore();
  }

  describe(): SpliceInfo[] {
    const out: SpliceInfo[] = [];
    for (const s of this.spliced) {
      const edit = s.mechanism === 'edit' ? 'live edit' : 'live edit (refused, retrying)';
      for (const e of s.entries) {
        const site = s.sites.sites[e.index]!;
        if (site.entry.enabled && s.mechanism !== 'breakpoint') out.push({ probe: nameOf(site.entry), mechanism: edit });
        for (const p of [site.ret, site.err]) {
          if (!p.enabled) continue;
          const mechanism = s.mechanism === 'breakpoint' ? NO_BREAKPOINT_EXIT : e.exits ? edit : NO_RETURN_POINT;
          out.push({ probe: nameOf(p), mechanism });
        }
      }
    }
    for (const b of this.breakpoints.describe()) out.push({ probe: nameOf(b.probe), mechanism: `breakpoint (${b.left} hits left)` });
    return out;
  }

  private readonly lineFactory = (d: ProbeDescription): void => this.lineProbe(d);

  /** Whether the script had probes to splice (an edit made, pending or fallen back). */
  private spliceScript(script: ParsedScript, module: string): boolean {
    const original = this.debug.source(script.id);
    if (isTransformed(original)) return false;
    const prefix = livePrefix(script.id, original);
    const format = script.esm ? 'module' : 'commonjs';
    let sites: ModuleSites;
    let names: ReturnType<typeof transform>;
    try {
      names = transform(original, { module, format, live: { prefix, select: () => false } });
      if (names.sites.length === 0) return false;
      sites = moduleSites('fn', module, names.sites);
    } catch (error) {
      registry.skip({
        provider: 'fn',
        module,
        func: '*',
        reason: `does not parse: ${error instanceof Error ? error.message : String(error)}`,
      });
      return false;
    }
    const state = sites.state;
    if (!state.some((s) => s !== 0)) return false;
    const exits = (i: number): boolean => (state[i]! & (RETURN | ERROR)) !== 0;
    const out = transform(original, { module, format, live: { prefix, select: (i) => state[i] !== 0, exits } });
    const edited = new Map((out.entries ?? []).map((e) => [e.index, e]));
    const missed = names.sites.filter((_, i) => state[i] !== 0 && !edited.has(i)).map(([f]) => f);
    if (missed.length > 0)
      this.warn(`${module}: no live edit for ${missed.join(', ')} (expression-bodied arrow functions): their probes do not fire`);
    const entryOnly = names.sites.filter((_, i) => exits(i) && edited.get(i)?.exits === false).map(([f]) => f);
    if (entryOnly.length > 0)
      this.warn(
        `${module}: no return point for ${entryOnly.join(', ')} (a closing brace that shares its line with code, docs/ATTACH.md): their return and error probes do not fire`,
      );
    this.ownToString ||= installToString();
    const g = globalThis as Record<string, unknown>;
    g[`${prefix}S`] = state;
    g[`${prefix}N`] = sites.enter;
    g[`${prefix}U`] = sites.untracked;
    const s: Spliced = {
      script,
      module,
      original,
      edited: out.code,
      prefix,
      sites,
      entries: out.entries ?? [],
      mechanism: 'pending',
      tries: 0,
    };
    this.spliced.push(s);
    this.edit(s);
    return true;
  }

  private edit(s: Spliced): void {
    const t0 = process.cpuUsage();
    const r = this.debug.setSource(s.script.id, s.edited);
    if (r.ok) {
      const t = process.cpuUsage(t0);
      this.editMs.push((t.user + t.system) / 1000);
      s.mechanism = 'edit';
    } else if (!r.final && ++s.tries < MAX_TRIES) {
      s.mechanism = 'pending';
      this.retry ??= setTimeout(() => this.retryPending(), RETRY_MS).unref();
    } else this.fallBack(s, r.reason);
  }

  private retryPending(): void {
    this.retry = null;
    for (const s of this.spliced) if (s.mechanism === 'pending') this.edit(s);
    this.idle();
  }

  /**
   * The script's probed functions get breakpoints at their first statement: entry probes only,
   * since a breakpoint's condition runs before a return's value exists and never sees a throw.
   */
  private fallBack(s: Spliced, reason: string): void {
    s.mechanism = 'breakpoint';
    dropGlobals(s.prefix);
    const starts = lineStarts(s.original);
    let exits = false;
    for (const e of s.entries) {
      const site = s.sites.sites[e.index]!;
      exits ||= site.ret.enabled || site.err.enabled;
      if (!site.entry.enabled) continue;
      const line = lineOf(starts, e.pos);
      this.breakpoints.add(s.script.id, line, e.pos - starts[line]!, `[${e.args.join(',')}]`, e.self, () => site.entry);
    }
    this.warn(
      `${s.module}: ${reason}; its entry probes run on breakpoints instead, ${BREAKPOINT_BUDGET} hits each` +
        (exits ? '; its return and error probes do not fire (a breakpoint cannot see a return or a throw)' : ''),
    );
  }

  /** `line:MODULE:LINE:` or `line:MODULE:LINE:COLUMN`, for a module loaded already. */
  private lineProbe(d: ProbeDescription): void {
    if (d.provider !== 'line' || /[*?[\]]/.test(d.module) || !/^\d+$/.test(d.func) || !/^(\d+)?$/.test(d.name)) return;
    const key = `${d.module}:${d.func}:${d.name}`;
    if (this.lines.has(key)) return;
    this.debug.enable();
    const script = this.debug.liveScripts().find((s) => this.scope.classify(s.file)?.module === d.module);
    if (script === undefined) return this.idle();
    const column = d.name === '' ? 0 : Number(d.name) - 1;
    const probe = this.breakpoints.add(
      script.id,
      Number(d.func) - 1,
      column,
      'typeof arguments==="undefined"?undefined:arguments',
      'this',
      (line, col) => registry.register('line', d.module, String(line), d.name === '' ? String(col) : d.name),
    );
    this.lines.set(key, probe);
  }

  /** The debugger stays enabled only while a breakpoint or a refused edit needs it. */
  private idle(): void {
    if (this.breakpoints.size === 0 && this.retry === null) this.debug.disable();
  }

  private restore(): void {
    let blocked = false;
    for (const s of this.spliced) {
      if (s.mechanism !== 'edit') {
        if (s.mechanism === 'pending') dropGlobals(s.prefix);
        s.mechanism = 'breakpoint';
        continue;
      }
      const r = this.debug.setSource(s.script.id, s.original);
      if (r.ok) {
        s.mechanism = 'breakpoint';
        dropGlobals(s.prefix);
      } else blocked = true;
    }
    // An edited async function still suspended: its state reads 0 now, and the edit is undone when it is not.
    if (blocked) setTimeout(() => this.restore(), RETRY_MS).unref();
    else {
      this.debug.disable();
      if (this.ownToString) uninstallToString();
    }
  }
}

/** A state no index reads 0 from, so an edited prologue calls the stand-in `N`, which traces nothing. */
const INERT_STATE: readonly number[] = Object.freeze([]);
const inertEnter = (): Token => UNTRACKED;

/**
 * The edit's globals, made inert rather than deleted: V8's line diff can leave a function
 * running the edited code after the edit back (docs/ATTACH.md), and its prologue must then
 * trace nothing and throw nothing. Three small properties stay per script ever spliced; a
 * later attach's splice of the script reuses them (livePrefix).
 */
function dropGlobals(prefix: string): void {
  const g = globalThis as Record<string, unknown>;
  g[`${prefix}S`] = INERT_STATE;
  g[`${prefix}N`] = inertEnter;
  g[`${prefix}U`] = UNTRACKED;
}

let prefixes = 1000;
/** Each script's prefix, for every attach of the process: this module stays loaded between attaches. */
const prefixOfScript = new Map<string, string>();

/**
 * Globals of one script's edits: `$msN_`, a fragment prefix the toString stand-in recognises,
 * unique in the process and absent from the script's source. The same for every attach, so
 * that cycles leave no more globals than one attach (a new prefix each time left three
 * properties on globalThis per cycle). Safe to share: the script is back to the same original
 * text at each splice, so the rewrite numbers its sites alike, and a function an earlier edit
 * left running reads the state of the same sites.
 */
function livePrefix(scriptId: string, source: string): string {
  let p = prefixOfScript.get(scriptId);
  if (p !== undefined) return p;
  p = `$ms${prefixes++}_`;
  while (source.includes(p)) p = `$ms${prefixes++}_`;
  prefixOfScript.set(scriptId, p);
  return p;
}

function nameOf(p: Probe): string {
  return `${p.provider}:${p.module}:${p.func}:${p.name}`;
}
