import { aggregationToJson, jsonLine, type JsonAggregation } from '../aggregate/json.js';
import { printAggregationsAtExit } from '../aggregate/print.js';
import { ProbeEvent, registry } from '../core/index.js';
import { ProgramInstance, recordsWithHeader, type CompiledProgram, type Host, type ProgramDelta } from '../lang/index.js';
import type { LinkHandle } from '../weaver/link.js';
import { linkClauses, unlinkClauses } from '../agent/agent-program.js';

/**
 * A D program in mscope (DTrace's consumer): runs BEGIN, then tick-N on
 * timers, merges the agents' deltas, and at the end runs END, prints every aggregation the
 * program did not print itself in DTrace's layout, and reports losses. A solo program (no
 * command: mscope traces itself, as `dtrace -n` does) also links its probe clauses here.
 */
export class ConsumerProgram {
  readonly instance: ProgramInstance;
  private readonly links: LinkHandle[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private started = false;
  private finished = false;
  private linked = false;

  /** A program that is its own agent: its probe clauses are linked in this process. */
  static solo(program: CompiledProgram, host: Host): ConsumerProgram {
    return new ConsumerProgram(program, host, true);
  }

  constructor(
    readonly program: CompiledProgram,
    private readonly host: Host,
    private readonly linksProbes = false,
  ) {
    // A consumer of agents shares its header with their lines (host.records); alone, it heads its own.
    this.instance = new ProgramInstance(program, { ...host, records: host.records ?? recordsWithHeader((text) => host.output(text)) });
  }

  /** The status passed to exit(), or null while the program has not called it. */
  get exitStatus(): number | null {
    return this.instance.exitStatus;
  }

  /** The clause links a solo program made, in clause order. */
  get linkHandles(): readonly LinkHandle[] {
    return this.links;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const instance = this.instance;
    instance.onExit = () => this.stopTracing();
    instance.begin(false);
    if (this.linksProbes && instance.exitStatus === null) {
      this.linked = true;
      linkClauses(instance, undefined, this.links);
    }
    if (instance.exitStatus === null) this.startTicks();
  }

  /** Merges an agent's delta into this program's aggregations and assigns its globals. */
  applyDelta(delta: ProgramDelta): void {
    this.instance.applyDelta(delta);
  }

  private startTicks(): void {
    for (const c of this.program.clauses) {
      for (const spec of c.probes) {
        if (spec.special?.kind !== 'tick') continue;
        // Registered as DTrace creates tick-N on demand: an id of its own, after BEGIN, END and ERROR.
        const probe = registry.register('profile', '', '', tickName(spec.text));
        const fn = this.instance.clause(c.index);
        const timer = setInterval(() => fn(new ProbeEvent(probe)), Math.max(1, spec.special.periodNs / 1e6));
        if (this.host.keepAlive === false) timer.unref();
        this.timers.push(timer);
      }
    }
  }

  /** Every aggregation that holds data, as `-f json` prints them. */
  aggregations(): JsonAggregation[] {
    const sort = this.instance.sortOptions;
    return this.instance.aggs.filter((a) => a.size > 0).map((a) => aggregationToJson(a, sort));
  }

  /** Ends tracing: unlinks, runs END, prints what the program did not print, then reports losses. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopTracing();
    if (!this.started) return this.stop();
    const instance = this.instance;
    instance.end();
    const rest = instance.unprinted();
    if (rest.length > 0) {
      if (instance.format === 'json')
        for (const a of rest) this.host.output(jsonLine('aggregation', aggregationToJson(a, instance.sortOptions)));
      else this.host.output(printAggregationsAtExit(rest, instance.sortOptions));
    }
    this.reportLosses();
    this.stop();
  }

  private reportLosses(): void {
    const { faults, internalErrors: internal, specDrops: drops, specUnavail: unavailable, aggDrops, dynDrops } = this.instance.losses();
    const warn = (text: string): void => this.instance.warn(text);
    if (faults > 0) warn(`${faults} error${faults === 1 ? '' : 's'} in clauses\n`);
    if (internal > 0) warn(`${internal} internal error${internal === 1 ? '' : 's'} in clauses (a microScope bug; please report it)\n`);
    if (unavailable > 0) warn(`${unavailable} failed speculation${unavailable === 1 ? '' : 's'} (no speculative buffer available)\n`);
    if (drops > 0) warn(`${drops} speculative drop${drops === 1 ? '' : 's'}\n`);
    if (dynDrops > 0) warn(`${dynDrops} dynamic variable drop${dynDrops === 1 ? '' : 's'}\n`);
    if (aggDrops > 0) warn(`${aggDrops} aggregation drop${aggDrops === 1 ? '' : 's'}\n`);
  }

  private stopTracing(): void {
    unlinkClauses(this.instance, this.links, this.linked);
    this.linked = false;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }

  /** Stops without END or printing: unlinks every probe and stops the timers. */
  stop(): void {
    this.stopTracing();
    this.instance.close();
  }
}

/** `tick-1s` of `tick-1s` or `profile:::tick-1s`: the name a tick's probe is registered by. */
export function tickName(text: string): string {
  return text.replace(/^.*:/, '');
}
