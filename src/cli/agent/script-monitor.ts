import { registry } from '../../core/index.js';
import { ProgramInstance, unmatchedProbeWarnings, renderDiagnostics, type CompiledProgram, type ProgramDelta } from '../../lang/index.js';
import { compileScript, decodeScript } from '../script/spec.js';
import type { AgentContext, AgentMonitor } from './types.js';

/** What a script's agent sends at exit: its last delta and the descriptions it never matched. */
export interface ScriptFinal {
  readonly delta: ProgramDelta;
  /** Rendered warning per unmatched description text. */
  readonly unmatched: Record<string, string>;
}

/**
 * A D program in a traced process (DTrace's consumer model, agent side): its probe clauses
 * run here, its aggregations are handed to mscope as deltas, END runs in mscope.
 */
export class ScriptMonitor implements AgentMonitor {
  private instance: ProgramInstance | null = null;

  constructor(private readonly program: CompiledProgram) {}

  static load(specText: string): ScriptMonitor {
    return new ScriptMonitor(compileScript(decodeScript(specText)));
  }

  start(ctx: AgentContext): void {
    const instance = new ProgramInstance(this.program, 'agent', {
      output: (text) => ctx.output(text),
      warn: (text) => ctx.output(text),
      exit: (status) => ctx.exit(status),
      link: (description, monitor) => ctx.link(description, monitor),
    });
    this.instance = instance;
    instance.start();
  }

  flush(): unknown {
    const d = this.instance?.takeDelta();
    return d === undefined || isEmpty(d) ? undefined : d;
  }

  finish(): unknown {
    const instance = this.instance;
    if (instance === null) return undefined;
    const delta = instance.takeDelta();
    instance.finish();
    const unmatched: Record<string, string> = {};
    for (const w of unmatchedProbeWarnings(this.program, registry.list())) {
      const text = this.program.sources.find((s) => s.file === w.range.file)?.text.slice(w.range.start, w.range.end) ?? w.message;
      unmatched[text] = renderDiagnostics([w], this.program.sources);
    }
    const final: ScriptFinal = { delta, unmatched };
    return final;
  }
}

function isEmpty(d: ProgramDelta): boolean {
  return d.aggregations.length === 0 && d.faults === 0 && d.specDrops === 0 && d.specBusy === 0;
}
