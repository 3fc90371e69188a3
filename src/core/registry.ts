import { FIRST_PROBE_ID, Probe, type ProbeArg } from './probe.js';
import type { ProbeDescription, ProbeName } from './description.js';

export interface SkippedFunction {
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly reason: string;
}

interface ProbeGroup {
  readonly provider: string;
  readonly module: string;
  /** The functions whose probes it would register, each with every one of `names`. */
  readonly funcs: readonly string[];
  readonly names: readonly string[];
  readonly materialize: () => void;
}

/** Whether `d` could match a probe of the group: one of its functions, under one of its names. */
function couldMatch(d: ProbeDescription, g: ProbeGroup): boolean {
  return d.matchesModule(g.provider, g.module) && g.funcs.some((f) => d.fieldMatches(2, f)) && g.names.some((n) => d.fieldMatches(3, n));
}

type RegisterListener = (probe: Probe) => void;

/** Creates probes that exist only once asked for (a named channel, `profile-97`). */
export type ProbeFactory = (description: ProbeDescription) => void;

/**
 * All probes of this thread, by id and by full name. Registration is idempotent: the same
 * four-part name always yields the same probe and id within a process. Ids start after the
 * dtrace provider's (BEGIN, END, ERROR), which the D runtime fires itself.
 */
export class ProbeRegistry {
  private readonly probes: Probe[] = [];
  private readonly byKey = new Map<string, Probe>();
  private readonly listeners: RegisterListener[] = [];
  private readonly skippedList: SkippedFunction[] = [];
  private readonly factories: ProbeFactory[] = [];
  private readonly groups: ProbeGroup[] = [];
  private readonly armed: ProbeDescription[] = [];

  register(provider: string, module: string, func: string, name: string, args?: readonly ProbeArg[]): Probe {
    const key = `${provider}\0${module}\0${func}\0${name}`;
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const probe = new Probe(this.probes.length + FIRST_PROBE_ID, provider, module, func, name, args);
    this.probes.push(probe);
    this.byKey.set(key, probe);
    for (const l of this.listeners) l(probe);
    return probe;
  }

  lookup(provider: string, module: string, func: string, name: string): Probe | undefined {
    return this.byKey.get(`${provider}\0${module}\0${func}\0${name}`);
  }

  get(id: number): Probe | undefined {
    return this.probes[id - FIRST_PROBE_ID];
  }

  /** All probes in registration order; the array is live, do not mutate it. */
  list(): readonly Probe[] {
    this.materializeWhere(() => true);
    return this.probes;
  }

  get size(): number {
    return this.list().length;
  }

  /** The names of every probe, registered or deferred: deferred groups are named, not made. */
  names(): readonly ProbeName[] {
    const out: ProbeName[] = this.probes.slice();
    for (const g of this.groups)
      for (const func of g.funcs) for (const name of g.names) out.push({ provider: g.provider, module: g.module, func, name });
    return out;
  }

  /** Every probe `description` matches now, made first where it could match a factory or deferred group. */
  find(description: ProbeDescription): Probe[] {
    this.create(description);
    return this.probes.filter((p) => description.matches(p));
  }

  /**
   * Probes of one module whose registration is deferred: `materialize` registers each of
   * `funcs` under each of `names`. It runs at once when an armed description could match one
   * of them, else on demand: `fn::nothing:entry` matches every module, and none of its probes.
   */
  addGroup(provider: string, module: string, funcs: readonly string[], names: readonly string[], materialize: () => void): void {
    const group: ProbeGroup = { provider, module, funcs, names, materialize };
    for (const d of this.armed) {
      if (couldMatch(d, group)) {
        materialize();
        return;
      }
    }
    this.groups.push(group);
  }

  /** Calls `listener` for every probe registered from now on; returns an unsubscribe. */
  onRegister(listener: RegisterListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** A factory added after descriptions were armed makes their probes at once. */
  addFactory(factory: ProbeFactory): void {
    if (this.factories.includes(factory)) return;
    this.factories.push(factory);
    for (const d of this.armed) factory(d);
  }

  /** The factory makes no more probes (an attach's, at detach: else each attach's would stay, and all it holds). */
  removeFactory(factory: ProbeFactory): void {
    const i = this.factories.indexOf(factory);
    if (i >= 0) this.factories.splice(i, 1);
  }

  /**
   * Keeps `description` armed until the returned disarm runs: factories and deferred groups
   * added meanwhile that it could match make their probes at once. Arming twice needs two disarms.
   */
  arm(description: ProbeDescription): () => void {
    this.armed.push(description);
    this.create(description);
    let armed = true;
    return () => {
      if (!armed) return;
      armed = false;
      const i = this.armed.indexOf(description);
      if (i >= 0) this.armed.splice(i, 1);
    };
  }

  /** How many descriptions are armed (each arm counts until its disarm). */
  get armedCount(): number {
    return this.armed.length;
  }

  private create(description: ProbeDescription): void {
    for (const f of this.factories) f(description);
    this.materializeWhere((g) => couldMatch(description, g));
  }

  /** Whether a description linked so far could match a probe of `provider`. */
  isArmedFor(provider: string): boolean {
    return this.armed.some((d) => d.matchesProvider(provider));
  }

  /** Whether a description linked so far could match a probe of this provider's module. */
  isArmedForModule(provider: string, module: string): boolean {
    return this.armed.some((d) => d.matchesModule(provider, module));
  }

  /** Whether an armed description could match a probe of this provider with this name. */
  isArmedForName(provider: string, name: string): boolean {
    return this.armed.some((d) => d.matchesProviderAndName(provider, name));
  }

  private materializeWhere(test: (g: ProbeGroup) => boolean): void {
    if (this.groups.length === 0) return;
    const ready = this.groups.filter(test);
    if (ready.length === 0) return;
    for (let i = this.groups.length - 1; i >= 0; i--) if (ready.includes(this.groups[i]!)) this.groups.splice(i, 1);
    for (const g of ready) g.materialize();
  }

  skip(entry: SkippedFunction): void {
    this.skippedList.push(entry);
  }

  skipped(): readonly SkippedFunction[] {
    return this.skippedList;
  }
}

const KEY = Symbol.for('microscope.registry');
type WithRegistry = typeof globalThis & { [KEY]?: ProbeRegistry };

/** One registry per thread, shared by every copy of this package the thread has loaded. */
export const registry: ProbeRegistry = ((globalThis as WithRegistry)[KEY] ??= new ProbeRegistry());
