import type { ProbeEvent } from '../core/index.js';
import { OutputBuffer } from '../weaver/remote/output-buffer.js';
import { compile, ProgramInstance, type CompiledProgram, type OutputFormat, type ProgramDelta, type Source } from '../lang/index.js';

/** What the agent passes through a shm or message binding: the program, and which clause this link runs. */
export interface RemoteClauseOptions {
  readonly sources: readonly Source[];
  readonly settings: ReadonlyArray<[string, string]>;
  readonly quiet: boolean;
  readonly format: OutputFormat;
  readonly clause: number;
}

/** One flush of a remote clause: its aggregation delta, what it printed, and exit() if called. */
export interface RemoteClauseFlush {
  readonly delta: ProgramDelta;
  readonly output: string;
  /** Runtime errors and warnings, kept apart from the output: they go to mscope's stderr. */
  readonly warnings: string;
  readonly events: number;
  /** Events not run because `output` was full (`bufsize`): counted as drops. */
  readonly dropped: number;
  readonly exit: number | null;
}

const programs = new Map<string, CompiledProgram>();

/**
 * The weaver's remote-monitor entry (`createMonitor`) for D clauses bound by shm or
 * message: the clause runs on the copies the binding delivers, in a worker or child
 * process, and each flush hands its aggregation delta back to the agent, which merges it.
 * Globals are per link here: a global written by another clause is not seen.
 */
export function createMonitor(options: RemoteClauseOptions): { handle(ev: unknown): void; flush(): RemoteClauseFlush } {
  const program = compiled(options);
  const output = new OutputBuffer(program.options.bufsize);
  let warnings = '';
  let exit: number | null = null;
  let events = 0;
  let exitReported = false;
  const instance = new ProgramInstance(program, {
    output: (text) => output.write(text),
    warn: (text) => void (warnings += text),
    exit: (status) => void (exit ??= status),
  });
  // BEGIN sets the globals this clause reads; its output is the consumer's, and nothing is linked here.
  instance.begin(true);
  return {
    handle(ev: unknown): void {
      if (!output.open) return output.refuse();
      events++;
      instance.fire(options.clause, ev as ProbeEvent);
    },
    flush(): RemoteClauseFlush {
      const out: RemoteClauseFlush = { delta: instance.takeDelta(), ...output.take(), warnings, events, exit: exitReported ? null : exit };
      exitReported ||= exit !== null;
      warnings = '';
      events = 0;
      return out;
    },
  };
}

function compiled(o: RemoteClauseOptions): CompiledProgram {
  const key = JSON.stringify([o.sources, o.settings, o.quiet, o.format]);
  let p = programs.get(key);
  if (p === undefined) {
    const r = compile(o.sources, { options: o.settings, quiet: o.quiet, format: o.format });
    if (r.program === undefined)
      throw new Error(`remote clause: the program no longer compiles (${r.diagnostics[0]?.message ?? 'unknown error'})`);
    programs.set(key, (p = r.program));
  }
  return p;
}
