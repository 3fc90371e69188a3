import type { AgentMessage } from '../agent/protocol.js';
import type { BindingKind } from '../core/bindings.js';
import type { EffectTotals } from './probe-effect.js';

interface DescriptionTotals {
  /** Most probes this description matched in any one process. */
  probes: number;
  events: number;
}

interface MonitorTotals {
  readonly descriptions: Map<string, DescriptionTotals>;
  processes: number;
  events: number;
  faults: number;
  drops: number;
  firstFault: string | undefined;
  /** Message-bound monitors restarted after a hang, memory exhaustion or crash. */
  restarts: number;
}

/**
 * What mscope says on stderr about the monitors once CMD has exited: faults, drops,
 * descriptions that matched nothing, failures to load; a summary unless quiet.
 */
export class RunReport {
  private readonly monitors = new Map<string, MonitorTotals>();
  /** Fault message to pids that sent it, so that one failure in many processes prints once. */
  private readonly faults = new Map<string, number[]>();
  private readonly effectTotals: EffectTotals = { events: new Map(), batches: new Map(), drops: 0, faults: 0 };

  /** `scripts`: D programs, which warn about unmatched descriptions themselves and print no summary. */
  constructor(
    monitorNames: readonly string[],
    private readonly scripts: ReadonlySet<string> = new Set(),
  ) {
    for (const name of monitorNames) {
      this.monitors.set(name, {
        descriptions: new Map(),
        processes: 0,
        events: 0,
        faults: 0,
        drops: 0,
        firstFault: undefined,
        restarts: 0,
      });
    }
  }

  add(pid: number, m: AgentMessage): void {
    if (m.t === 'fault') {
      const pids = this.faults.get(m.message) ?? [];
      pids.push(pid);
      this.faults.set(m.message, pids);
    } else if (m.t === 'stats') {
      const t = this.monitors.get(m.monitor);
      if (t === undefined) return;
      t.processes++;
      t.firstFault ??= m.firstFault;
      t.restarts += m.restarts ?? 0;
      for (const l of m.links) {
        const d = t.descriptions.get(l.description) ?? { probes: 0, events: 0 };
        d.probes = Math.max(d.probes, l.probes);
        d.events += l.events;
        t.descriptions.set(l.description, d);
        t.events += l.events;
        t.faults += l.faults;
        t.drops += l.drops;
        const e = this.effectTotals;
        e.drops += l.drops;
        e.faults += l.faults;
        for (const [kind, n] of Object.entries(l.bindings ?? {}))
          e.events.set(kind as BindingKind, (e.events.get(kind as BindingKind) ?? 0) + n);
        for (const [kind, n] of Object.entries(l.batches ?? {}))
          e.batches.set(kind as BindingKind, (e.batches.get(kind as BindingKind) ?? 0) + n);
      }
    }
  }

  /** Events and batches by binding, drops and faults of every monitor's links in every process: the probe effect's inputs. */
  effect(): EffectTotals {
    return this.effectTotals;
  }

  /** A monitor failed to load or start somewhere: it may have sent no final report. */
  hasFaults(): boolean {
    return this.faults.size > 0;
  }

  /**
   * Lines for stderr, and whether the run failed: a monitor did not load, start or finish,
   * or a description matched no probe in any process. Faults inside handlers do not fail it.
   */
  lines(quiet: boolean): { lines: string[]; failed: boolean } {
    const lines: string[] = [];
    let failed = this.faults.size > 0;
    for (const [message, pids] of this.faults) lines.push(`${message}${pids.length > 1 ? ` (in ${pids.length} processes)` : ''}`);
    for (const [name, t] of this.monitors) {
      if (t.faults > 0)
        lines.push(`monitor ${name} faulted ${t.faults} times${t.firstFault === undefined ? '' : ` (first: ${t.firstFault})`}`);
      if (t.restarts > 0) lines.push(`monitor ${name} was restarted ${t.restarts} time${t.restarts === 1 ? '' : 's'}`);
      if (t.drops > 0) lines.push(`monitor ${name} dropped ${t.drops} events`);
      const script = this.scripts.has(name);
      for (const [text, d] of t.descriptions) {
        if (d.probes === 0 && !script) {
          lines.push(`monitor ${name}: probe description "${text}" matched no probes`);
          failed = true;
        }
      }
      if (!quiet && !script && t.processes > 0) {
        lines.push(`monitor ${name}: ${t.events} events in ${t.processes} process${t.processes === 1 ? '' : 'es'}`);
      }
    }
    return { lines: lines.map((l) => `mscope: ${l}`), failed };
  }
}
