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
  /** What a rewritten function's prologue calls when its state is non-zero. */
  readonly enter = (packed: unknown[]): Call | typeof UNTRACKED => enterPacked(this, packed);
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

/**
 * The token of a traced call: the rewritten function stores its return value to `msv` and
 * what it throws to `msx` (an assignment needs no closing text after the value, and costs
 * the frame no register), which fire `return` and `error`.
 */
export class Call {
  constructor(
    readonly site: FunctionSite,
    readonly entry: ProbeEvent,
  ) {}

  set msv(value: unknown) {
    fireReturn(this.site, this.entry, value);
  }

  set msx(error: unknown) {
    fireError(this.site, this.entry, error);
  }
}

function ignore(): void {}
const defineProperties = Object.defineProperties;
const IGNORED = { msv: { set: ignore }, msx: { set: ignore } };

/** Makes `token` a token of an untraced call: its stores do nothing. */
export function untrack<T extends object>(token: T): T {
  return defineProperties(token, IGNORED);
}

/** The token of a call whose return and error are not traced. */
export const UNTRACKED: { msv: unknown; msx: unknown } = untrack({ msv: undefined, msx: undefined });

/** Fires entry when traced; returns the call's token. */
export function enter(m: ModuleSites, i: number, thisArg: unknown, args: unknown[]): Call | typeof UNTRACKED {
  const site = m.sites[i]!;
  const st = m.state[i]!;
  const ev = new ProbeEvent(site.entry, args, thisArg);
  const tracked = (st & (RETURN | ERROR)) !== 0;
  if (tracked) ev.timestamp = ev.timestamp;
  if ((st & ENTRY) !== 0) fireProbe(site.entry, ev);
  return tracked ? new Call(site, ev) : UNTRACKED;
}

/** A rewritten function's prologue passes `[...args, this, i]`: one array, few registers. */
function enterPacked(m: ModuleSites, packed: unknown[]): Call | typeof UNTRACKED {
  const i = packed.pop() as number;
  const thisArg = packed.pop();
  return enter(m, i, thisArg, packed);
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
