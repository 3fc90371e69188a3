import type { AggSnapshot } from '../aggregate/types.js';
import type { ScriptFinal } from '../agent/script-monitor.js';
import { nowNs } from '../core/index.js';
import { ProgramInstance, type CompiledProgram, type ProgramDelta } from '../lang/index.js';
import type { ConsumerMonitor } from './consumer.js';
import { readTotals, topRows, type ExitsTraced, type Totals, type TopRow } from './top-table.js';

/**
 * kperfmon's per-function figures from `topProgram`'s aggregations, merged from every
 * process: what `mscope top` draws and the Latency Explorer's function view lists.
 */
export class FunctionMetrics implements ConsumerMonitor {
  private readonly instance: ProgramInstance;
  private before = new Map<string, Totals>();
  private last = nowNs();
  private readonly started = nowNs();

  constructor(
    program: CompiledProgram,
    private readonly exits: ExitsTraced = 'all',
  ) {
    this.instance = new ProgramInstance(program, {
      output: () => {},
      warn: (text) => process.stderr.write(`mscope: ${text}`),
      exit: () => {},
    });
  }

  /** Intervals count from now. */
  restart(): void {
    this.last = nowNs();
  }

  delta(_pid: number, data: unknown): void {
    this.instance.applyDelta(data as ProgramDelta);
  }

  final(_pid: number, data: unknown): void {
    this.instance.applyDelta((data as ScriptFinal).delta);
  }

  end(): void {
    this.instance.close();
  }

  /** What each function did since the last interval ended; `advance` ends this one. */
  interval(advance: boolean): TopRow[] {
    const now = this.totals();
    const t = nowNs();
    const rows = topRows(this.before, now, t - this.last, this.exits);
    if (advance) {
      this.before = now;
      this.last = t;
    }
    return rows;
  }

  /** What each function did since tracing began. */
  sinceStart(): TopRow[] {
    return topRows(new Map(), this.totals(), nowNs() - this.started, this.exits);
  }

  private totals(): Map<string, Totals> {
    return readTotals(new Map<string, AggSnapshot>(this.instance.aggs.map((a) => [a.name, a.snapshot()])));
  }
}
