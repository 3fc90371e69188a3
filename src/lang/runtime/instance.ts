import type { Aggregation } from '../../aggregate/aggregation.js';
import { createAggregation } from '../../aggregate/create.js';
import { aggregationToJson, jsonLine } from '../../aggregate/json.js';
import { printAggregationsAtExit } from '../../aggregate/print.js';
import type { AggSnapshot } from '../../aggregate/types.js';
import { formatProbeName, Probe, ProbeEvent } from '../../core/index.js';
import { link, type LinkHandle } from '../../weaver/index.js';
import type { CompiledProgram } from '../program.js';
import { clauseHelpers } from './helpers.js';
import { ClauseRuntime, isInternalError, type Host } from './runtime.js';
import { DFault } from './values.js';
import { GlobalsSync, type GlobalsDelta } from './globals.js';

export type { Host } from './runtime.js';

/**
 * DTrace's consumer model. `agent`: links the probe clauses in a traced process, runs BEGIN
 * silently so globals are set, and hands out aggregation deltas. `consumer`: the mscope
 * process; runs BEGIN, tick-N and END against the merged aggregations. `solo`: both in one.
 * `remote`: the other side of a shm or message binding; runs BEGIN silently, links nothing,
 * and runs clauses on the events handed to `fire`.
 */
export type Role = 'solo' | 'agent' | 'consumer' | 'remote';

/** What an agent sends its consumer: aggregation data since the last delta, and losses. */
export interface ProgramDelta {
  readonly aggregations: AggSnapshot[];
  readonly faults: number;
  /** Exceptions in clauses that are microScope bugs, not D faults. */
  readonly internalErrors: number;
  readonly specDrops: number;
  readonly specBusy: number;
  /** Globals the probe clauses changed since the last delta; absent when none did. */
  readonly globals?: GlobalsDelta;
}

/** A delta with nothing to send: an agent skips it. */
export function isEmptyDelta(d: ProgramDelta): boolean {
  return (
    d.aggregations.length === 0 &&
    d.globals === undefined &&
    d.faults === 0 &&
    d.internalErrors === 0 &&
    d.specDrops === 0 &&
    d.specBusy === 0
  );
}

type ClauseFn = (ev: ProbeEvent) => void;

const MAX_FAULT_REPORTS = 10;
const BEGIN = new Probe(0, 'dtrace', '', '', 'BEGIN');
const END = new Probe(0, 'dtrace', '', '', 'END');
const ERROR = new Probe(0, 'dtrace', '', '', 'ERROR');

export class ProgramInstance {
  private rt: ClauseRuntime | null = null;
  private aggs: Aggregation[] = [];
  private fns: ClauseFn[] = [];
  private globals: GlobalsSync | null = null;
  private readonly links: LinkHandle[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private inError = false;
  private finished = false;
  private faultsReported = 0;
  private remote = { faults: 0, internalErrors: 0, specDrops: 0, specBusy: 0 };

  constructor(
    readonly program: CompiledProgram,
    readonly role: Role,
    private readonly host: Host,
  ) {}

  /** The status passed to exit(), or null while the program has not called it. */
  get exitStatus(): number | null {
    return this.rt?.exitStatus ?? null;
  }

  /** The clause links this instance made (agent and solo roles), in clause order. */
  get linkHandles(): readonly LinkHandle[] {
    return this.links;
  }

  start(): void {
    if (this.rt !== null) return;
    const p = this.program;
    this.aggs = p.aggregations.map((a) => createAggregation(a.name, a.func, a.params));
    const rt = new ClauseRuntime(this.aggs, this.host, p.options, p.selfDefaults, p.format);
    rt.onFault = (clause, error, ev) => this.fault(clause, error, ev);
    rt.onExit = () => this.unlinkAll();
    this.rt = rt;
    const set = p.factory(rt, clauseHelpers.helpers);
    this.fns = set.clauses as ClauseFn[];
    this.globals = new GlobalsSync(set.globals, p.globals, p.arrays, () => rt.strsize);
    this.printHeader();
    rt.silent = this.role === 'agent' || this.role === 'remote';
    this.fireSpecial('BEGIN', BEGIN);
    rt.silent = false;
    this.globals.markSent();
    if (this.role === 'remote') return;
    if (this.role !== 'consumer' && rt.exitStatus === null) this.linkProbes();
    if (this.role !== 'agent' && rt.exitStatus === null) this.startTicks();
  }

  /** Runs clause `clause` on an event delivered by a remote binding. */
  fire(clause: number, ev: ProbeEvent): void {
    this.fns[clause]!(ev);
  }

  /**
   * DTrace prints its `CPU ID FUNCTION:NAME` header once, before BEGIN, unless quiet; here
   * only programs with a default-action clause print the lines it heads. Agents (and the far
   * side of a binding) leave it to the consumer, so that a run over several processes prints it once.
   */
  private printHeader(): void {
    const p = this.program;
    if (this.role !== 'solo' && this.role !== 'consumer') return;
    if (p.format !== 'text' || p.options.quiet || !p.clauses.some((c) => c.defaultAction)) return;
    this.host.output(`${'CPU'.padStart(3)} ${'ID'.padStart(6)} ${'FUNCTION:NAME'.padStart(32)}\n`);
  }

  private linkProbes(): void {
    for (const c of this.program.clauses) {
      for (const spec of c.probes) {
        if (spec.description === null) continue;
        const fn = this.fns[c.index]! as (ev: ProbeEvent) => void;
        this.links.push(this.host.link !== undefined ? this.host.link(spec.description, fn, c.index) : link(spec.description, fn));
      }
    }
  }

  private startTicks(): void {
    for (const c of this.program.clauses) {
      for (const spec of c.probes) {
        if (spec.special?.kind !== 'tick') continue;
        const probe = new Probe(0, 'profile', '', '', spec.text.replace(/^.*:/, ''));
        const fn = this.fns[c.index]!;
        const timer = setInterval(() => fn(new ProbeEvent(probe)), Math.max(1, spec.special.periodNs / 1e6));
        if (this.host.keepAlive === false) timer.unref();
        this.timers.push(timer);
      }
    }
  }

  private fireSpecial(kind: 'BEGIN' | 'END' | 'ERROR', probe: Probe, args?: unknown[]): void {
    const ev = new ProbeEvent(probe, args);
    for (const c of this.program.clauses) {
      if (c.probes.some((s) => s.special?.kind === kind)) this.fns[c.index]!(ev);
    }
  }

  private hasClause(kind: 'ERROR'): boolean {
    return this.program.clauses.some((c) => c.probes.some((s) => s.special?.kind === kind));
  }

  /** A fault in a clause: counted, then the ERROR clauses run (or a warning is printed). */
  private fault(clause: number, error: unknown, ev: ProbeEvent): void {
    if (isInternalError(error)) return this.internalError(clause, error, ev);
    if (this.inError) return;
    const kind = error instanceof DFault ? error.fault : 'illegal-operation';
    const message = error instanceof Error ? error.message : String(error);
    if (this.hasClause('ERROR')) {
      this.inError = true;
      try {
        this.fireSpecial('ERROR', ERROR, [0, clause + 1, 0, 0, kind, message]);
      } finally {
        this.inError = false;
      }
      return;
    }
    if (++this.faultsReported > MAX_FAULT_REPORTS) return;
    this.rt?.warn(
      `error on enabled probe ID ${clause + 1} (${formatProbeName(ev.probe)}): ${kind === 'illegal-operation' ? message : kind}\n`,
    );
  }

  /**
   * Not a D fault but a bug in microScope (generated code or runtime): never handed to the
   * program's ERROR clauses, always on stderr with the exception, and the run fails.
   */
  private internalError(clause: number, error: unknown, ev: ProbeEvent): void {
    this.host.fail?.();
    if (++this.faultsReported > MAX_FAULT_REPORTS) return;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.rt?.warn(`internal error on enabled probe ID ${clause + 1} (${formatProbeName(ev.probe)}): ${what}; this is a microScope bug\n`);
  }

  /** Aggregation data recorded since the last call; local state starts again from empty. */
  takeDelta(): ProgramDelta {
    const rt = this.rt;
    const aggregations = this.aggs.filter((a) => a.size > 0).map((a) => a.takeDelta());
    // Counts merged from this process's shm and message clauses travel on with its own.
    const r = this.remote;
    const globals = this.globals?.takeDelta();
    const d: ProgramDelta = {
      aggregations,
      ...(globals === undefined ? {} : { globals }),
      faults: (rt?.faults ?? 0) + r.faults,
      internalErrors: (rt?.internalErrors ?? 0) + r.internalErrors,
      specDrops: (rt?.specs.drops ?? 0) + r.specDrops,
      specBusy: (rt?.specs.busy ?? 0) + r.specBusy,
    };
    this.remote = { faults: 0, internalErrors: 0, specDrops: 0, specBusy: 0 };
    if (rt !== null) {
      rt.faults = 0;
      rt.internalErrors = 0;
      rt.specs.drops = 0;
      rt.specs.busy = 0;
    }
    return d;
  }

  /** Merges an agent's delta into this (consumer's) aggregations and assigns its globals. */
  applyDelta(delta: ProgramDelta): void {
    if (delta.globals !== undefined) this.globals?.apply(delta.globals);
    for (const s of delta.aggregations) {
      const agg = this.aggs.find((a) => a.name === s.name);
      if (agg === undefined) continue;
      try {
        agg.merge(s);
      } catch (e) {
        // An agent running another version of the program: its data is reported, not merged.
        this.rt?.warn(`cannot merge @${s.name} from an agent: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    this.remote.faults += delta.faults;
    if (delta.internalErrors > 0) this.host.fail?.();
    this.remote.internalErrors += delta.internalErrors;
    this.remote.specDrops += delta.specDrops;
    this.remote.specBusy += delta.specBusy;
  }

  /**
   * Ends tracing: unlinks, runs END (consumer and solo), prints every non-empty aggregation
   * the program did not printa() itself, in DTrace's layout, then reports losses.
   */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.unlinkAll();
    const rt = this.rt;
    if (rt === null || this.role === 'agent') return this.stop();
    this.fireSpecial('END', END);
    const rest = this.aggs.filter((a) => a.size > 0 && !this.program.printedByProgram.has(a.name));
    if (rest.length > 0) {
      if (rt.format === 'json') for (const a of rest) this.host.output(jsonLine('aggregation', aggregationToJson(a, rt.sortOptions)));
      else this.host.output(printAggregationsAtExit(rest, rt.sortOptions));
    }
    this.reportLosses(rt);
    this.stop();
  }

  private reportLosses(rt: ClauseRuntime): void {
    const faults = rt.faults + this.remote.faults;
    const drops = rt.specs.drops + this.remote.specDrops;
    const busy = rt.specs.busy + this.remote.specBusy;
    const internal = rt.internalErrors + this.remote.internalErrors;
    if (faults > 0) rt.warn(`${faults} error${faults === 1 ? '' : 's'} in clauses\n`);
    if (internal > 0) rt.warn(`${internal} internal error${internal === 1 ? '' : 's'} in clauses (a microScope bug; please report it)\n`);
    if (busy > 0) rt.warn(`${busy} failed speculation${busy === 1 ? '' : 's'} (busy)\n`);
    if (drops > 0) rt.warn(`${drops} speculative drop${drops === 1 ? '' : 's'}\n`);
  }

  private unlinkAll(): void {
    for (const l of this.links) l.unlink();
    this.links.length = 0;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }

  /** Stops without END or printing: unlinks every probe and stops the timers. */
  stop(): void {
    this.unlinkAll();
    this.rt?.close();
  }
}
