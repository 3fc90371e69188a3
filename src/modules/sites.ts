import { fireProbe, ProbeEvent, registry, type Probe } from '../core/index.js';

/** Bits of a function site's state word: which of its probes have handlers. */
export const ENTRY = 1;
export const RETURN = 2;
export const ERROR = 4;

export const enum SiteKind {
  Plain = 0,
  Async = 1,
  Generator = 2,
}

/** The entry, return and error probes of one function. */
export class FunctionSite {
  constructor(
    readonly entry: Probe,
    readonly ret: Probe,
    readonly err: Probe,
    readonly kind: SiteKind,
  ) {}
}

/**
 * The sites of one module. `state[i]` is 0 while function i is not traced, which is all
 * an instrumented function's prologue reads; it is a packed SMI array for that reason.
 */
export class ModuleSites {
  readonly state: number[] = [];
  readonly sites: FunctionSite[] = [];
  private pending: ReadonlyArray<readonly [string, number]> | null = null;

  constructor(
    readonly provider: string,
    readonly module: string,
  ) {}

  /**
   * Sites whose probes are registered only when a description could match them or the
   * probes are listed: a program loading thousands of functions pays for an array of zeros.
   */
  static lazy(provider: string, module: string, funcs: ReadonlyArray<readonly [string, number]>): ModuleSites {
    const m = new ModuleSites(provider, module);
    for (let i = 0; i < funcs.length; i++) m.state.push(0);
    m.pending = funcs;
    registry.addGroup(provider, module, () => m.materialize());
    return m;
  }

  /** The functions of this module, as the rewrite declared them. */
  get declared(): ReadonlyArray<readonly [string, number]> {
    return this.pending ?? this.sites.map((s) => [s.entry.func, s.kind] as const);
  }

  add(func: string, kind: SiteKind): number {
    return this.addAt(this.sites.length, func, kind);
  }

  private materialize(): void {
    const funcs = this.pending;
    if (funcs === null) return;
    this.pending = null;
    for (let i = 0; i < funcs.length; i++) this.addAt(i, funcs[i]![0], funcs[i]![1] as SiteKind);
  }

  private addAt(i: number, func: string, kind: SiteKind): number {
    const entry = registry.register(this.provider, this.module, func, 'entry');
    const ret = registry.register(this.provider, this.module, func, 'return');
    const err = registry.register(this.provider, this.module, func, 'error');
    const site = new FunctionSite(entry, ret, err, kind);
    this.sites[i] = site;
    if (i === this.state.length) this.state.push(0);
    sitesByEntry[entry.id] = site;
    const update = (): void => {
      this.state[i] = (entry.enabled ? ENTRY : 0) | (ret.enabled ? RETURN : 0) | (err.enabled ? ERROR : 0);
    };
    entry.onToggle(update);
    ret.onToggle(update);
    err.onToggle(update);
    update();
    return i;
  }
}

const sitesByEntry: FunctionSite[] = [];

/**
 * Called by an instrumented function's prologue when its state is non-zero. Returns the
 * entry event when return or error is traced (the call's token), else 0.
 */
export function enter(m: ModuleSites, i: number, thisArg: unknown, args: readonly unknown[]): ProbeEvent | 0 {
  const site = m.sites[i]!;
  const st = m.state[i]!;
  const ev = new ProbeEvent(site.entry, args, thisArg);
  const tracked = (st & (RETURN | ERROR)) !== 0;
  if (tracked) ev.timestamp = ev.timestamp;
  if ((st & ENTRY) !== 0) fireProbe(site.entry, ev);
  return tracked ? ev : 0;
}

/**
 * Wraps every return value of an instrumented function; free when the call is not tracked.
 * A returned promise is the return value: observing its settlement would mark a rejection
 * handled and run program code (`then`, a subclass's constructor), so it is never touched.
 */
export function leave<T>(token: ProbeEvent | 0, value: T): T {
  if (token !== 0) fireReturn(sitesByEntry[token.probe.id]!, token, value);
  return value;
}

/** Called from an instrumented function's catch clause before it rethrows. */
export function fail(token: ProbeEvent | 0, error: unknown): void {
  if (token !== 0) fireError(sitesByEntry[token.probe.id]!, token, error);
}

function fireReturn(site: FunctionSite, token: ProbeEvent, value: unknown): void {
  if (!site.ret.enabled) return;
  const ev = new ProbeEvent(site.ret, token.args, token.thisArg);
  ev.retval = value;
  ev.entry = token;
  fireProbe(site.ret, ev);
}

function fireError(site: FunctionSite, token: ProbeEvent, error: unknown): void {
  if (!site.err.enabled) return;
  const ev = new ProbeEvent(site.err, token.args, token.thisArg);
  ev.error = error;
  ev.entry = token;
  fireProbe(site.err, ev);
}
