// Not core's index: every traced process's agent loads this, and a process with nothing to link needs few of core's modules.
import { ErrorCode, MscopeError } from '../core/errors.js';
import { ProbeDescription } from '../core/description.js';
import { registry } from '../core/registry.js';
import type { Probe } from '../core/probe.js';
import { DirectBinding } from './bindings/direct.js';
import {
  BINDING_KINDS,
  type Binding,
  type BindingContext,
  type BindingKind,
  type BindingSettings,
  type BindingUse,
  type LinkStats,
  type Monitor,
} from './types.js';
import type { MonitorRef } from './remote/monitor-ref.js';

export interface LinkOptions {
  binding?: BindingKind;
  /**
   * false: the monitor keeps no reference to an event after it returns and does not tell
   * firings apart by the event's identity; the probe site may then hand it one reused event
   * (no allocation per firing). Default true: every firing gets a new event.
   */
  keepsEvents?: boolean;
  /** false: the monitor never reads `args`, and the site does not gather them. Default true. */
  readsArgs?: boolean;
  /** false: the monitor never reads `thisArg`; the message binding then copies none. Default true. */
  readsThis?: boolean;
  /**
   * false: the monitor reads nothing of an event but `probe` (its name and id); the direct
   * binding's site then hands every firing one fixed event without filling it in. Default true.
   */
  readsEvent?: boolean;
  /** The monitor as a module, for the shm and message bindings (required by them). */
  remote?: MonitorRef;
  settings?: BindingSettings;
}

/** `context` carries the remote monitor and settings; the direct binding ignores it. */
export type BindingFactory = (monitor: Monitor, linkId: number, description: string, context: BindingContext) => Binding;

type FlushListener = (result: unknown, binding: BindingKind) => void;

const factories = new Map<BindingKind, BindingFactory>([
  ['direct', (m, id, d, ctx) => new DirectBinding(m, id, d, ctx.keepsEvents, ctx.readsArgs, ctx.readsEvent)],
]);

/** Lets the shared-memory and message bindings plug in without the weaver knowing them. */
export function registerBinding(kind: BindingKind, factory: BindingFactory): void {
  factories.set(kind, factory);
}

const active = new Set<LinkHandle>();
let nextLinkId = 1;

/**
 * A description linked to a monitor through a binding. The description stays armed:
 * probes registered later that match it are linked as they appear.
 */
export class LinkHandle {
  readonly id = nextLinkId++;
  readonly description: ProbeDescription;
  private binding: Binding;
  private readonly probeSet = new Set<Probe>();
  private matchedCount = 0;
  private readonly retired: LinkStats = { events: 0, faults: 0, drops: 0 };
  private retiredRemoteEvents = 0;
  /** Events and batches of bindings this link no longer has, by kind: the probe effect is per binding. */
  private readonly retiredByKind = new Map<BindingKind, BindingUse>();
  private readonly closing = new Set<Binding>();
  private readonly flushListeners: FlushListener[] = [];
  private remote: MonitorRef | undefined;
  private settings: BindingSettings;
  private readonly keepsEvents: boolean;
  private readonly readsArgs: boolean;
  private readonly readsThis: boolean;
  private readonly readsEvent: boolean;
  private stopWatching: (() => void) | null;

  constructor(
    description: ProbeDescription,
    private readonly monitor: Monitor,
    options: LinkOptions,
  ) {
    this.description = description;
    this.remote = options.remote;
    this.settings = options.settings ?? {};
    this.keepsEvents = options.keepsEvents ?? true;
    this.readsArgs = options.readsArgs ?? true;
    this.readsThis = options.readsThis ?? true;
    this.readsEvent = options.readsEvent ?? true;
    this.binding = this.makeBinding(options.binding ?? 'direct');
    const disarm = registry.arm(description);
    for (const p of registry.find(description)) this.attach(p);
    const stopListening = registry.onRegister((p) => {
      if (description.matches(p)) this.attach(p);
    });
    this.stopWatching = () => {
      stopListening();
      disarm();
    };
    active.add(this);
  }

  get bindingKind(): BindingKind {
    return this.binding.kind;
  }

  get linked(): boolean {
    return this.stopWatching !== null;
  }

  /** Probes this link is attached to right now. */
  probes(): Probe[] {
    return [...this.probeSet];
  }

  /**
   * How many probes this link has ever been attached to, unlinked or not: whether its
   * description matched anything, still answerable after a drain-and-unlink at exit.
   */
  get matched(): number {
    return this.matchedCount;
  }

  /** Events handed to shm or message bindings over this link's life: what remote flushes must account for. */
  get remoteEvents(): number {
    let n = this.retiredRemoteEvents;
    const live = this.linked ? [this.binding] : [];
    for (const b of [...live, ...this.closing]) if (b.kind !== 'direct') n += b.stats.events;
    return n;
  }

  /** Totals over every binding this link has had, including one still draining. */
  get stats(): LinkStats {
    const t = { ...this.retired };
    const live = this.linked ? [this.binding] : [];
    for (const b of [...live, ...this.closing]) {
      const s = b.stats;
      t.events += s.events;
      t.faults += s.faults;
      t.drops += s.drops;
    }
    return t;
  }

  /** Events over this link's life, and the batches they went in, by the binding that carried them (relinks split them). */
  useByBinding(): Map<BindingKind, BindingUse> {
    const t = new Map<BindingKind, BindingUse>();
    for (const [kind, u] of this.retiredByKind) t.set(kind, { ...u });
    const live = this.linked ? [this.binding] : [];
    for (const b of [...live, ...this.closing]) addUse(t, b);
    return t;
  }

  /**
   * Receives each flush result of the remote monitor (shm, message): what it aggregated
   * since its previous flush, to be merged by the owner. Returns an unsubscribe.
   */
  onFlush(listener: FlushListener): () => void {
    this.flushListeners.push(listener);
    return () => {
      const i = this.flushListeners.indexOf(listener);
      if (i >= 0) this.flushListeners.splice(i, 1);
    };
  }

  /**
   * Swaps the binding in place, at the same position in each probe's handler list, so
   * link order is kept and no event is delivered twice. Leaving a remote binding drains
   * it (its ring or queue is processed and its monitor flushed) before the returned
   * promise resolves; leaving the direct binding is synchronous and returns undefined.
   */
  relink(options: LinkOptions): Promise<void> | undefined {
    if (!this.linked) throw new MscopeError(ErrorCode.Unlinked, `link ${this.id} is unlinked`);
    if (options.remote !== undefined) this.remote = options.remote;
    if (options.settings !== undefined) this.settings = options.settings;
    const next = this.makeBinding(options.binding ?? this.binding.kind);
    const prev = this.binding;
    for (const p of this.probeSet) p.setHandlers(p.handlers.map((h) => (h === prev ? next : h)));
    this.binding = next;
    return this.retire(prev);
  }

  /**
   * Detaches from every probe; probes with no other handlers return to their original code
   * path. A remote binding is drained first, as in relink.
   */
  unlink(): Promise<void> | undefined {
    if (this.stopWatching === null) return undefined;
    this.stopWatching();
    this.stopWatching = null;
    const b = this.binding;
    for (const p of this.probeSet) p.setHandlers(p.handlers.filter((h) => h !== b));
    this.probeSet.clear();
    active.delete(this);
    return this.retire(b);
  }

  /**
   * Resolves once the live binding has its monitor loaded (a shm or message worker starts
   * asynchronously) or has given up loading it; at once for direct. Keeps the process alive meanwhile.
   */
  async ready(): Promise<void> {
    const loading = this.linked ? this.binding.ready?.() : undefined;
    if (loading === undefined) return;
    // The worker and its port are unref'd: without this, a program with nothing else to do would exit instead of waiting.
    const alive = setInterval(() => {}, 1000);
    try {
      await loading;
    } finally {
      clearInterval(alive);
    }
  }

  /** Drains the live binding and any still closing, synchronously (Binding#drainSync). */
  drainSync(): void {
    if (this.linked) this.binding.drainSync?.();
    for (const b of this.closing) b.drainSync?.();
  }

  private attach(p: Probe): void {
    if (this.probeSet.has(p)) return;
    this.probeSet.add(p);
    this.matchedCount++;
    p.setHandlers([...p.handlers, this.binding]);
  }

  private retire(b: Binding): Promise<void> | undefined {
    const closing = b.close();
    if (closing === undefined) {
      this.addRetired(b);
      return undefined;
    }
    this.closing.add(b);
    return closing.then(() => {
      this.closing.delete(b);
      this.addRetired(b);
    });
  }

  private addRetired(b: Binding): void {
    const s = b.stats;
    if (b.kind !== 'direct') this.retiredRemoteEvents += s.events;
    addUse(this.retiredByKind, b);
    this.retired.events += s.events;
    this.retired.faults += s.faults;
    this.retired.drops += s.drops;
  }

  private makeBinding(kind: BindingKind): Binding {
    const context: BindingContext = {
      linkId: this.id,
      description: this.description.text,
      remote: this.remote,
      settings: this.settings,
      keepsEvents: this.keepsEvents,
      readsArgs: this.readsArgs,
      readsThis: this.readsThis,
      readsEvent: this.readsEvent,
      onFlush: (result) => {
        for (const l of this.flushListeners) l(result, kind);
      },
    };
    return makeBinding(kind, this.monitor, context);
  }
}

function makeBinding(kind: BindingKind, monitor: Monitor, context: BindingContext): Binding {
  const factory = factories.get(kind);
  if (factory === undefined) {
    const known = BINDING_KINDS.includes(kind) ? ` (binding "${kind}" is not available in this build)` : '';
    throw new MscopeError(
      ErrorCode.BadBinding,
      `unknown binding "${String(kind)}"; expected one of ${[...factories.keys()].join(', ')}${known}`,
    );
  }
  return factory(monitor, context.linkId, context.description, context);
}

/** Links `monitor` to every probe matching `description`, now and later. */
export function link(description: string | ProbeDescription, monitor: Monitor, options: LinkOptions = {}): LinkHandle {
  const d = typeof description === 'string' ? ProbeDescription.parse(description) : description;
  return new LinkHandle(d, monitor, options);
}

export function links(): LinkHandle[] {
  return [...active];
}

function addUse(byKind: Map<BindingKind, BindingUse>, b: Binding): void {
  const s = b.stats;
  const u = byKind.get(b.kind);
  if (u === undefined) byKind.set(b.kind, { events: s.events, batches: s.batches ?? 0 });
  else {
    u.events += s.events;
    u.batches += s.batches ?? 0;
  }
}
