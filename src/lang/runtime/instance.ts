import type { Aggregation } from '../../aggregate/aggregation.js';
import { AggBudget } from '../../aggregate/budget.js';
import { createAggregation } from '../../aggregate/create.js';
import type { AggSnapshot, SortOptions } from '../../aggregate/types.js';
import { DTRACE_PROBE_IDS, formatProbeName, Probe, ProbeEvent } from '../../core/index.js';
import type { CompiledProgram } from '../program.js';
import { Capability } from '../builtins.js';
import { clauseHelpers } from './helpers.js';
import { ClauseRuntime, isInternalError, type Host, type OutputFormat } from './runtime.js';
import { DFault } from './values.js';
import { GlobalsSync, type GlobalsDelta } from './globals.js';

export type { Host } from './runtime.js';

/** What an agent sends its consumer: aggregation data since the last delta, and losses. */
export interface ProgramDelta {
  readonly aggregations: AggSnapshot[];
  readonly faults: number;
  /** Exceptions in clauses that are microScope bugs, not D faults. */
  readonly internalErrors: number;
  readonly specDrops: number;
  readonly specUnavail: number;
  /** setopt() calls in probe clauses since the last delta, in order. */
  readonly options?: Array<[string, string]>;
  /** Records whose new tuple did not fit `aggsize`. */
  readonly aggDrops?: number;
  /** Associative-array elements and self-> variables that did not fit `dynvarsize`. */
  readonly dynDrops?: number;
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
    d.specUnavail === 0 &&
    d.options === undefined &&
    (d.aggDrops ?? 0) === 0 &&
    (d.dynDrops ?? 0) === 0
  );
}

/** Losses counted here and in the deltas merged here, as DTrace reports them at the end. */
export interface ProgramLosses {
  readonly faults: number;
  readonly internalErrors: number;
  readonly specDrops: number;
  readonly specUnavail: number;
  readonly aggDrops: number;
  readonly dynDrops: number;
}

/** Losses merged from other instances (agents, shm and message clauses), reported with this one's. */
const NO_LOSSES = (): ProgramLosses => ({ faults: 0, internalErrors: 0, specDrops: 0, specUnavail: 0, aggDrops: 0, dynDrops: 0 });

export type ClauseFn = (ev: ProbeEvent) => void;
export type SpecialKind = 'BEGIN' | 'END' | 'ERROR';

const MAX_FAULT_REPORTS = 10;
/** Faults whose message says more than their kind: DTrace names the address or the reason. */
const MESSAGE_FAULTS = new Set(['illegal-operation', 'invalid-address', 'out-of-scratch']);
const SPECIAL_PROBES: Record<SpecialKind, Probe> = {
  BEGIN: new Probe(DTRACE_PROBE_IDS.BEGIN, 'dtrace', '', '', 'BEGIN'),
  END: new Probe(DTRACE_PROBE_IDS.END, 'dtrace', '', '', 'END'),
  ERROR: new Probe(DTRACE_PROBE_IDS.ERROR, 'dtrace', '', '', 'ERROR'),
};

/**
 * One compiled program made live: its aggregations, globals and clause functions, and the
 * runtime they call. It runs clauses it is handed and keeps the counts; it links nothing and
 * starts no timers: the agent links its probe clauses (src/agent), the consumer runs BEGIN,
 * tick-N and END and prints (src/consumer).
 */
export class ProgramInstance {
  readonly rt: ClauseRuntime;
  readonly aggs: readonly Aggregation[];
  /** A clause reads `vtime`: while linked, traced calls read the CPU clock (core's vtimeUsers). */
  readonly readsVtime: boolean;
  private readonly fns: ClauseFn[];
  private readonly globals: GlobalsSync;
  private inError = false;
  private faultsReported = 0;
  private remote: { -readonly [K in keyof ProgramLosses]: number } = NO_LOSSES();
  private readonly budget: AggBudget;

  constructor(
    readonly program: CompiledProgram,
    private readonly host: Host,
  ) {
    const p = program;
    this.readsVtime = p.clauses.some((c) => c.capabilities.includes(Capability.Vtime));
    const budget = (this.budget = new AggBudget(p.options.aggsize));
    this.aggs = p.aggregations.map((a) => {
      const agg = createAggregation(a.name, a.func, a.params);
      agg.keyWidths = a.keyWidths;
      return agg;
    });
    for (const a of this.aggs) a.budget = budget;
    const rt = new ClauseRuntime(this.aggs, host, p.options, p.selfDefaults, p.format);
    rt.onFault = (clause, error, ev) => this.fault(clause, error, ev);
    this.rt = rt;
    const set = p.factory(rt, clauseHelpers.helpers);
    this.fns = set.clauses as ClauseFn[];
    this.globals = new GlobalsSync(set.globals, p.globals, p.arrays, () => rt.strsize);
  }

  /** The status passed to exit(), or null while the program has not called it. */
  get exitStatus(): number | null {
    return this.rt.exitStatus;
  }

  get format(): OutputFormat {
    return this.rt.format;
  }

  get sortOptions(): SortOptions {
    return this.rt.sortOptions;
  }

  /** Called once when the program calls exit(): whoever linked or timed its clauses stops them. */
  set onExit(stop: () => void) {
    this.rt.onExit = stop;
  }

  /** Clause `clause`'s function, to link to a probe or to run on a timer. */
  clause(clause: number): ClauseFn {
    return this.fns[clause]!;
  }

  /** Runs clause `clause` on an event delivered by a remote binding. */
  fire(clause: number, ev: ProbeEvent): void {
    this.fns[clause]!(ev);
  }

  /**
   * Runs BEGIN. `silent` discards its output: an agent (or the far side of a binding) runs
   * BEGIN only so that its globals are set; the consumer prints.
   */
  begin(silent: boolean): void {
    this.rt.silent = silent;
    // exit() in a BEGIN clause stops the BEGIN clauses after it (DTrace stops the state at once).
    this.fireSpecial('BEGIN', undefined, true);
    this.rt.silent = false;
    this.globals.markSent();
    // Every process runs BEGIN: its options need not travel.
    this.rt.optionChanges = [];
  }

  /** Runs END; an exit(N) there overrides the status an earlier exit() gave. */
  end(): void {
    this.rt.flushLines();
    this.rt.ending = true;
    try {
      this.fireSpecial('END');
    } finally {
      this.rt.ending = false;
    }
  }

  private fireSpecial(kind: SpecialKind, args?: unknown[], stopAtExit = false): void {
    const ev = new ProbeEvent(SPECIAL_PROBES[kind], args);
    for (const c of this.program.clauses) {
      if (stopAtExit && this.rt.exitStatus !== null) return;
      if (c.probes.some((s) => s.special?.kind === kind)) this.fns[c.index]!(ev);
    }
  }

  private hasClause(kind: SpecialKind): boolean {
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
        this.fireSpecial('ERROR', [0, clause + 1, 0, 0, kind, message]);
      } finally {
        this.inError = false;
      }
      return;
    }
    if (++this.faultsReported > MAX_FAULT_REPORTS) return;
    this.rt.warn(`error on enabled probe ID ${clause + 1} (${formatProbeName(ev.probe)}): ${MESSAGE_FAULTS.has(kind) ? message : kind}\n`);
  }

  /**
   * Not a D fault but a bug in microScope (generated code or runtime): never handed to the
   * program's ERROR clauses, always on stderr with the exception, and the run fails.
   */
  private internalError(clause: number, error: unknown, ev: ProbeEvent): void {
    this.host.fail?.();
    if (++this.faultsReported > MAX_FAULT_REPORTS) return;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.rt.warn(`internal error on enabled probe ID ${clause + 1} (${formatProbeName(ev.probe)}): ${what}; this is a microScope bug\n`);
  }

  /** Aggregation data recorded since the last call; local state starts again from empty. */
  takeDelta(): ProgramDelta {
    const rt = this.rt;
    const aggregations = this.aggs.filter((a) => a.size > 0).map((a) => a.takeDelta());
    // Counts merged from this process's shm and message clauses travel on with its own.
    const globals = this.globals.takeDelta();
    const options = rt.optionChanges.length === 0 ? undefined : rt.optionChanges;
    const d: ProgramDelta = {
      aggregations,
      ...(globals === undefined ? {} : { globals }),
      ...(options === undefined ? {} : { options }),
      ...this.losses(),
    };
    rt.optionChanges = [];
    this.remote = NO_LOSSES();
    this.budget.drops = 0;
    rt.dynvars.drops = 0;
    rt.faults = 0;
    rt.internalErrors = 0;
    rt.specs.drops = 0;
    rt.specs.unavailable = 0;
    return d;
  }

  /** Merges a delta (an agent's, or a remote clause's) into these aggregations and assigns its globals. */
  applyDelta(delta: ProgramDelta): void {
    if (delta.globals !== undefined) this.globals.apply(delta.globals);
    for (const [name, value] of delta.options ?? []) this.rt.setopt(name, value);
    for (const s of delta.aggregations) {
      const agg = this.aggs.find((a) => a.name === s.name);
      if (agg === undefined) continue;
      try {
        agg.merge(s);
      } catch (e) {
        // An agent running another version of the program: its data is reported, not merged.
        this.rt.warn(`cannot merge @${s.name} from an agent: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    this.remote.faults += delta.faults;
    if (delta.internalErrors > 0) this.host.fail?.();
    this.remote.internalErrors += delta.internalErrors;
    this.remote.specDrops += delta.specDrops;
    this.remote.specUnavail += delta.specUnavail;
    this.remote.aggDrops += delta.aggDrops ?? 0;
    this.remote.dynDrops += delta.dynDrops ?? 0;
  }

  /** Aggregations with data that the program did not printa() itself: printed at the end. */
  unprinted(): Aggregation[] {
    return this.aggs.filter((a) => a.size > 0 && !this.program.printedByProgram.has(a.name));
  }

  losses(): ProgramLosses {
    const rt = this.rt;
    const r = this.remote;
    return {
      faults: rt.faults + r.faults,
      internalErrors: rt.internalErrors + r.internalErrors,
      specDrops: rt.specs.drops + r.specDrops,
      specUnavail: rt.specs.unavailable + r.specUnavail,
      aggDrops: this.budget.drops + r.aggDrops,
      dynDrops: rt.dynvars.drops + r.dynDrops,
    };
  }

  warn(text: string): void {
    this.rt.warn(text);
  }

  close(): void {
    this.rt.close();
  }
}
