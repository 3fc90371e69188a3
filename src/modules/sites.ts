import {
  cpuNs,
  fireEvent,
  fireExit,
  fireProbe,
  gathered,
  handlerChanges,
  NO_ARGS,
  nowNs,
  ProbeEvent,
  registry,
  vtimeUsers,
  type Probe,
} from '../core/index.js';

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
  /** Tokens of ended calls of a plain function, to reuse while no handler of its probes keeps events (`exit`). */
  readonly tokens: ProbeEvent[] = [];
  /** The `handlerChanges.count` the three flags below were derived at; a call derives them again once it moves. */
  private derivedAt = -1;
  private borrows = false;
  private times = false;
  private gathers = false;

  constructor(
    readonly entry: Probe,
    readonly ret: Probe,
    readonly err: Probe,
    readonly kind: SiteKind,
  ) {}

  /** No handler of this function's probes keeps events. */
  get borrowed(): boolean {
    return this.fresh().borrows;
  }

  /** Some handler of this function's probes reads more than the probe (`readsEvent`), so a call's entry time may be read. */
  get timed(): boolean {
    return this.fresh().times;
  }

  /** Some handler of this function's probes reads `args`. */
  get readsArgs(): boolean {
    return this.fresh().gathers;
  }

  /** This site, its three flags read off the probes again if any probe's handlers changed since. */
  private fresh(): this {
    if (this.derivedAt !== handlerChanges.count) this.derive();
    return this;
  }

  /** Reads the three flags off the probes: a traced call asks for them, and the handlers seldom change. */
  private derive(): void {
    const { entry, ret, err } = this;
    this.derivedAt = handlerChanges.count;
    this.borrows = (entry.keepers | ret.keepers | err.keepers) === 0;
    this.times = readsEvent(entry) || readsEvent(ret) || readsEvent(err);
    this.gathers = entry.readsArgs || ret.readsArgs || err.readsArgs;
  }
}

function readsEvent(p: Probe): boolean {
  return p.enabled && p.fixed === null;
}

/** The probes each function site registers (addAt), which a deferred group names before it makes them. */
const SITE_PROBE_NAMES: readonly string[] = ['entry', 'return', 'error'];

/**
 * The sites of one module. `state[i]` is 0 while function i is not traced, which is all
 * an instrumented function's prologue reads; it is a packed SMI array for that reason.
 */
export class ModuleSites {
  readonly state: number[] = [];
  readonly sites: FunctionSite[] = [];
  /** What `enter` returns for a call whose return and error are not traced: the module's own `$msU`. */
  untracked: Token = UNTRACKED;
  /**
   * What a rewritten function's prologue calls when its state is non-zero: index and `this`
   * first, then the arguments, so the call needs no array of its own.
   */
  readonly enter = (i: number, thisArg: unknown, ...args: unknown[]): Token => enter(this, i, thisArg, args);
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
    registry.addGroup(
      provider,
      module,
      funcs.map((f) => f[0]),
      SITE_PROBE_NAMES,
      () => m.materialize(),
    );
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
    sitesByEntry[entry.id] = site;
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
 * The token of a call: the rewritten function stores its return value to `msv` and what it
 * throws to `msx` (an assignment needs no closing text after the value, and costs the frame
 * no register); an async function or generator stores what it awaits or yields to `mss`
 * before it suspends and what it resumes with to `msr`. A traced call's token is its entry
 * event, whose setters fire `return` and `error` and keep its vtime; an untraced call's token
 * ignores every store.
 */
export interface Token {
  msv: unknown;
  msx: unknown;
  mss: unknown;
  msr: unknown;
}

/** The site of each entry probe, by probe id: how an entry event finds its return and error probes. */
const sitesByEntry: FunctionSite[] = [];

Object.defineProperties(ProbeEvent.prototype, {
  msv: {
    set(this: ProbeEvent, value: unknown) {
      fireReturn(this, value);
    },
  },
  msx: {
    set(this: ProbeEvent, error: unknown) {
      fireError(this, error);
    },
  },
  mss: {
    set(this: ProbeEvent) {
      suspend(this);
    },
  },
  msr: {
    set(this: ProbeEvent) {
      if (this.vstart === -1) this.vstart = cpuNs();
    },
  },
});

function ignore(): void {}
const defineProperties = Object.defineProperties;
const IGNORED = { msv: { set: ignore }, msx: { set: ignore }, mss: { set: ignore }, msr: { set: ignore } };

/** Makes `token` a token of an untraced call: its stores do nothing. */
export function untrack<T extends object>(token: T): T & Token {
  return defineProperties(token, IGNORED) as T & Token;
}

/** The token of a call whose return and error are not traced. */
export const UNTRACKED: Token = untrack({});

/** Fires entry when traced; returns the call's token. */
export function enter(m: ModuleSites, i: number, thisArg: unknown, args: unknown[]): Token {
  const site = m.sites[i]!;
  const st = m.state[i]!;
  const probe = site.entry;
  if ((st & (RETURN | ERROR)) === 0) {
    fireEvent(probe, args, thisArg);
    return m.untracked;
  }
  const ev = openToken(site, args, thisArg);
  // Handlers that read only the probe get its fixed event, as fireEvent and fireExit hand it.
  if ((st & ENTRY) !== 0) fireProbe(probe, probe.fixed ?? ev);
  // After the entry clauses, so that their cost is not the call's.
  if (vtimeUsers.count > 0) ev.vstart = cpuNs();
  return ev as ProbeEvent & Token;
}

/** Free tokens a plain function's site keeps for its next calls: enough for a little recursion. */
const MAX_FREE_TOKENS = 8;

/** The token (and entry event) of a traced call: one of the site's free tokens when no handler keeps events, else a new one. */
function openToken(site: FunctionSite, args: unknown[], thisArg: unknown): ProbeEvent {
  const probe = site.entry;
  // `=== true`: V8 does not know these fields hold booleans, and tests a bare one as any value.
  const a = site.readsArgs === true ? gathered(args) : NO_ARGS;
  const free = site.tokens;
  const borrowed = site.borrowed === true;
  let ev: ProbeEvent;
  if (free.length !== 0 && borrowed) {
    ev = free.pop()!;
    ev.reopen(a, thisArg);
  } else {
    ev = new ProbeEvent(probe, a, thisArg);
  }
  ev.reusable = borrowed && site.kind === SiteKind.Plain;
  // A clock read is most of a traced call's cost: none while every handler reads only the probe.
  ev.timestamp = site.timed === true ? nowNs() : 0;
  ev.open = true;
  probe.inflight++;
  return ev;
}

/** Ends the running segment of a call's vtime: it awaits, yields or exits. */
function suspend(token: ProbeEvent): void {
  if (token.vstart > 0) {
    token.vsum += cpuNs() - token.vstart;
    token.vstart = -1;
  }
}

/**
 * Ends a call once: a `return` inside a `try` whose `finally` throws stores both, and only
 * the first one is the call's exit. Its probe fires while the call still counts as in flight.
 *
 * A plain function's token whose handlers, at its entry and at its exit, kept no event goes
 * back to its site. A later store of the same call (that `finally`) cannot reach a call that
 * reused it: plain calls end in the order they start, so every call that took the token after
 * this exit has ended before this frame goes on, and the store finds the token closed.
 */
function exit(token: ProbeEvent, site: FunctionSite, probe: Probe, retval: unknown, error: unknown): void {
  // `=== true` as in openToken.
  if (token.open !== true) return;
  suspend(token);
  const reusable = token.reusable === true && probe.keepers === 0;
  if (probe.enabled === true) fireExit(probe, token, retval, error);
  token.open = false;
  token.probe.inflight--;
  if (reusable && site.borrowed === true && site.tokens.length < MAX_FREE_TOKENS) {
    token.forget();
    site.tokens.push(token);
  }
}

function fireReturn(token: ProbeEvent, value: unknown): void {
  const site = sitesByEntry[token.probe.id]!;
  exit(token, site, site.ret, value, undefined);
}

function fireError(token: ProbeEvent, error: unknown): void {
  const site = sitesByEntry[token.probe.id]!;
  exit(token, site, site.err, undefined, error);
}
