import type { ProbeEvent } from '../core/index.js';
import { OutputBuffer } from '../weaver/remote/output-buffer.js';
import { ProgramInstance, type ProgramDelta } from '../lang/runtime/instance.js';
import type { CompiledProgram } from '../lang/program.js';
import { Capability } from '../lang/builtins.js';
import { loadShippedProgram, type ShippedProgram } from '../lang/shipped.js';

/**
 * What the agent passes through a shm or message binding: the program as the agent runs it
 * (compiled once, in mscope, with its macro arguments and settings), and which clause this
 * link runs.
 */
export interface RemoteClauseOptions {
  readonly program: ShippedProgram;
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

/** Whether the clause reads `timestamp` or `elapsed`: when not, the binding's probe sites skip the clock. */
export function readsTimestamps(options: RemoteClauseOptions): boolean {
  const clause = compiled(options).clauses.find((c) => c.index === options.clause);
  return clause === undefined || clause.capabilities.includes(Capability.Timestamp);
}

function compiled(o: RemoteClauseOptions): CompiledProgram {
  const key = JSON.stringify(o.program);
  let p = programs.get(key);
  if (p === undefined) programs.set(key, (p = loadShippedProgram(o.program)));
  return p;
}
