import { ErrorCode, MscopeError, ProbeDescription, registry, type Probe } from '../core/index.js';
import { DirectBinding } from './bindings/direct.js';
import { BINDING_KINDS, type Binding, type BindingKind, type LinkStats, type Monitor } from './types.js';

export interface LinkOptions {
  binding?: BindingKind;
}

export type BindingFactory = (monitor: Monitor, linkId: number, description: string) => Binding;

const factories = new Map<BindingKind, BindingFactory>([['direct', (m, id, d) => new DirectBinding(m, id, d)]]);

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
  private readonly retired: LinkStats = { events: 0, faults: 0, drops: 0 };
  private stopWatching: (() => void) | null;

  constructor(
    description: ProbeDescription,
    private readonly monitor: Monitor,
    options: LinkOptions,
  ) {
    this.description = description;
    this.binding = makeBinding(options.binding ?? 'direct', monitor, this.id, description.text);
    registry.ensure(description);
    for (const p of registry.list()) if (description.matches(p)) this.attach(p);
    this.stopWatching = registry.onRegister((p) => {
      if (description.matches(p)) this.attach(p);
    });
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

  /** Totals over every binding this link has had. */
  get stats(): LinkStats {
    const s = this.binding.stats;
    return {
      events: this.retired.events + s.events,
      faults: this.retired.faults + s.faults,
      drops: this.retired.drops + s.drops,
    };
  }

  /**
   * Swaps the binding in place, at the same position in each probe's handler list, so
   * link order is kept and no event is delivered twice.
   */
  relink(options: LinkOptions): void {
    if (!this.linked) throw new MscopeError(ErrorCode.Unlinked, `link ${this.id} is unlinked`);
    const next = makeBinding(options.binding ?? this.binding.kind, this.monitor, this.id, this.description.text);
    const prev = this.binding;
    for (const p of this.probeSet) p.setHandlers(p.handlers.map((h) => (h === prev ? next : h)));
    this.binding = next;
    prev.close();
    this.retire(prev.stats);
  }

  /** Detaches from every probe; probes with no other handlers return to their original code path. */
  unlink(): void {
    if (this.stopWatching === null) return;
    this.stopWatching();
    this.stopWatching = null;
    const b = this.binding;
    for (const p of this.probeSet) p.setHandlers(p.handlers.filter((h) => h !== b));
    this.probeSet.clear();
    b.close();
    active.delete(this);
  }

  private attach(p: Probe): void {
    if (this.probeSet.has(p)) return;
    this.probeSet.add(p);
    p.setHandlers([...p.handlers, this.binding]);
  }

  private retire(s: LinkStats): void {
    this.retired.events += s.events;
    this.retired.faults += s.faults;
    this.retired.drops += s.drops;
  }
}

function makeBinding(kind: BindingKind, monitor: Monitor, id: number, text: string): Binding {
  const factory = factories.get(kind);
  if (factory === undefined) {
    const known = BINDING_KINDS.includes(kind) ? ` (binding "${kind}" is not available in this build)` : '';
    throw new MscopeError(
      ErrorCode.BadBinding,
      `unknown binding "${String(kind)}"; expected one of ${[...factories.keys()].join(', ')}${known}`,
    );
  }
  return factory(monitor, id, text);
}

/** Links `monitor` to every probe matching `description`, now and later. */
export function link(description: string | ProbeDescription, monitor: Monitor, options: LinkOptions = {}): LinkHandle {
  const d = typeof description === 'string' ? ProbeDescription.parse(description) : description;
  return new LinkHandle(d, monitor, options);
}

export function links(): LinkHandle[] {
  return [...active];
}
