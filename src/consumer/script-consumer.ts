import type { JsonAggregation } from '../aggregate/index.js';
import type { CompiledProgram, ProgramDelta } from '../lang/index.js';
import { ConsumerProgram } from './consumer-program.js';
import type { ScriptFinal } from '../agent/script-monitor.js';
import type { ConsumerContext, ConsumerMonitor } from './consumer.js';
import type { OutputSink } from './output.js';

/**
 * A D program in mscope (DTrace's consumer): runs BEGIN before CMD starts, tick-N while it
 * runs, merges every process's aggregation deltas, and runs END and prints at the end.
 */
export class ScriptConsumer implements ConsumerMonitor {
  private readonly instance: ConsumerProgram;
  /** Description to warning, for descriptions no process matched; any match removes it. */
  private unmatched: Map<string, string> | null = null;
  private inFlight = 0;

  constructor(program: CompiledProgram, ctx: ConsumerContext) {
    this.instance = new ConsumerProgram(program, {
      output: (text) => ctx.out.write(text),
      records: (text, flow) => ctx.records(text, flow),
      warn: (text) => process.stderr.write(text.startsWith('mscope') || text.includes(': warning') ? text : `mscope: ${text}`),
      exit: (status) => ctx.exit(status),
      fail: () => ctx.fail(),
    });
    this.instance.start();
  }

  delta(_pid: number, data: unknown): void {
    this.instance.applyDelta(data as ProgramDelta);
  }

  final(_pid: number, data: unknown): void {
    const f = data as ScriptFinal;
    this.instance.applyDelta(f.delta);
    this.inFlight += f.inFlight;
    const mine = new Map(Object.entries(f.unmatched));
    if (this.unmatched === null) this.unmatched = mine;
    else for (const k of [...this.unmatched.keys()]) if (!mine.has(k)) this.unmatched.delete(k);
  }

  aggregations(): JsonAggregation[] {
    return this.instance.aggregations();
  }

  end(_out: OutputSink): void {
    this.instance.finish();
    if (this.inFlight > 0)
      process.stderr.write(`mscope: ${this.inFlight} drops (events in a shm or message binding when their process exited)\n`);
    for (const w of this.unmatched?.values() ?? []) process.stderr.write(w);
  }
}
