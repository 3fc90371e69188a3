import { fileURLToPath } from 'node:url';
import { registry, threadEntryUrl } from '../core/index.js';
// Not lang's index: the program comes compiled from mscope, and the compiler stays unloaded.
import { isEmptyDelta, type ProgramDelta } from '../lang/runtime/instance.js';
import { unmatchedProbeWarnings } from '../lang/warnings.js';
import { renderDiagnostics } from '../lang/diagnostics.js';
import type { CompiledProgram } from '../lang/program.js';
import { loadShippedProgram, shipProgram, type ShippedProgram } from '../lang/shipped.js';
import type { RemoteClauseFlush, RemoteClauseOptions } from './remote-clauses.js';
import { AgentProgram } from './agent-program.js';
import type { ScriptSpec } from '../lang/script-spec.js';
import { RemoteLinks } from './remote-links.js';
import { targetPid } from '../core/target-pid.js';
import type { AgentContext, AgentMonitor } from './types.js';

/** The weaver loads this module on the far side of a shm or message binding. */
const REMOTE_MODULE = fileURLToPath(threadEntryUrl('./remote-clauses', import.meta.url));

/** What a script's agent sends at exit: its last delta and the descriptions it never matched. */
export interface ScriptFinal {
  readonly delta: ProgramDelta;
  /** Rendered warning per unmatched description text. */
  readonly unmatched: Record<string, string>;
  /** Events handed to a shm or message binding that no flush had reported when the process exited. */
  readonly inFlight: number;
}

/**
 * A D program in a traced process (DTrace's consumer model, agent side): its probe clauses
 * run here, its aggregations are handed to mscope as deltas, END runs in mscope. Every
 * clause link carries its remote form, so a clause bound (or later relinked) to shm or
 * message runs in a worker whose flushes are merged here.
 */
export class ScriptMonitor implements AgentMonitor {
  private instance: AgentProgram | null = null;
  private readonly remote = new RemoteLinks();
  /** The program as a shm or message clause's host loads it. */
  private readonly shipped: ShippedProgram;

  constructor(
    private readonly program: CompiledProgram,
    spec: ScriptSpec,
  ) {
    this.shipped = spec.compiled ?? shipProgram(program);
  }

  static async load(specText: string): Promise<ScriptMonitor> {
    const spec = JSON.parse(specText) as ScriptSpec;
    if (spec.compiled !== undefined) return new ScriptMonitor(loadShippedProgram(spec.compiled), spec);
    const { compileScript } = await import('../lang/script-spec.js');
    return new ScriptMonitor(compileScript(spec), spec);
  }

  start(ctx: AgentContext): void {
    // Learned before the program starts processes of its own, which inherit it ($target).
    targetPid();
    const host = {
      output: (text: string) => ctx.output(text),
      records: (text: string, flow?: boolean) => (ctx.records === undefined ? ctx.output(text) : ctx.records(text, flow)),
      warn: (text: string) => ctx.warn(text),
      exit: (status: number) => ctx.exit(status),
    };
    const instance = new AgentProgram(this.program, host, (description, monitor, clause, use) => {
      const options: RemoteClauseOptions = { program: this.shipped, clause };
      const binding = this.program.clauses[clause]!.binding;
      const h = ctx.link(description, monitor, { binding, remote: { module: REMOTE_MODULE, options }, ...use });
      h.onFlush((result) => this.merge(ctx, result as RemoteClauseFlush | undefined));
      this.remote.add(h);
      return h;
    });
    this.instance = instance;
    instance.start();
  }

  flush(): unknown {
    const d = this.instance?.takeDelta();
    return d === undefined || isEmptyDelta(d) ? undefined : d;
  }

  drops(): number {
    return this.remote.dropped;
  }

  finish(): unknown {
    const instance = this.instance;
    if (instance === null) return undefined;
    const delta = instance.takeDelta();
    instance.finish();
    const unmatched: Record<string, string> = {};
    // The other descriptions were judged in mscope before CMD started.
    // A description one of its links matched needs no warning, nor the probe list behind one.
    const matched = new Set(this.remote.handles.filter((h) => h.matched > 0).map((h) => h.description.text));
    const warnings = this.program.options.zdefs
      ? []
      : unmatchedProbeWarnings(
          this.program,
          () => registry.names(),
          'later',
          (d) => matched.has(d.text),
          unrewrittenCode(),
        );
    for (const w of warnings) {
      const text = this.program.sources.find((s) => s.file === w.range.file)?.text.slice(w.range.start, w.range.end) ?? w.message;
      unmatched[text] = renderDiagnostics([w], this.program.sources);
    }
    const final: ScriptFinal = { delta, unmatched, inFlight: this.remote.inFlight() };
    return final;
  }

  private merge(ctx: AgentContext, r: RemoteClauseFlush | undefined): void {
    if (r === undefined) return;
    this.remote.noteFlushed(r.events, r.dropped);
    this.instance?.applyDelta(r.delta);
    // A remote clause prints only records when not quiet: its lines share the run's header.
    if (r.output !== '')
      (this.program.options.quiet || this.program.format !== 'text' ? ctx.output : (ctx.records ?? ctx.output))(r.output);
    if (r.warnings !== '') ctx.warn(r.warnings);
    if (r.exit !== null) ctx.exit(r.exit);
  }
}

/**
 * The code this process ran that no load hook saw, as a hint names it: Node evaluates the text
 * of `-e`, `-p` and standard input itself (`process._eval` holds it, in every Node from 20 on).
 */
function unrewrittenCode(): string | null {
  if (typeof (process as { _eval?: unknown })._eval !== 'string') return null;
  for (const a of process.execArgv) {
    if (a === '-e' || a === '--eval' || a.startsWith('--eval=')) return 'the code given by -e';
    if (a === '-p' || a === '--print' || a.startsWith('--print=') || a === '-pe') return 'the code given by -p';
  }
  return 'the code read from standard input';
}
