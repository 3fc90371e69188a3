import type { ProbeDescription, SkippedFunction } from '../core/index.js';
import type { BindingKind, FaultReport, LinkHandle, LinkOptions, Monitor } from '../weaver/index.js';
import type { AgentOptions, MonitorSpec, ProbeRow } from './protocol.js';

/** What an agent reports to and runs: from mscope's environment, or from an attach request. */
export interface AgentConfig {
  /** The session directory mscope reads. */
  readonly session: string;
  readonly specs: readonly MonitorSpec[];
  readonly options: AgentOptions;
}

/**
 * The weaver and registry as an agent that links uses them (agent/linking.ts): passed in, so
 * that an agent whose monitors all run in mscope never loads them.
 */
export interface AgentWeaver {
  link(description: string | ProbeDescription, monitor: Monitor, options?: LinkOptions): LinkHandle;
  /** Calls `listener` with each fault of a link; returns its removal. */
  onFault(listener: (report: FaultReport) => void): () => void;
  flushFaults(): void;
  /** Every registered probe, as `mscope list` prints them. */
  probeRows(): ProbeRow[];
  skipped(): SkippedFunction[];
}

/** What the agent gives each monitor it runs in a traced process. */
export interface AgentContext {
  /** `-b` from the command line, when given; it overrides a monitor's own choice. */
  readonly binding: BindingKind | undefined;
  /** Links through the weaver and remembers the handle, for stats and fault reports. */
  link(description: string | ProbeDescription, monitor: Monitor, options?: LinkOptions): LinkHandle;
  /** Text for mscope's stdout (or `-o FILE`), not the application's. */
  output(text: string): void;
  /** A D program's record lines (not quiet): mscope puts its header above the first of the run. */
  records?(text: string, flow?: boolean): void;
  /** A runtime error or warning, for mscope's stderr: never mixed into the output. */
  warn(text: string): void;
  /** Asks mscope to stop tracing and exit with `code` once CMD has exited. */
  exit(code?: number): void;
}

/**
 * A monitor running inside a traced process. TypeScript monitor files and compiled scripts
 * both implement it; the values returned by `flush` and `finish` must be JSON-serialisable
 * and are handed to the matching `ConsumerMonitor` in mscope.
 */
export interface AgentMonitor {
  start(ctx: AgentContext): void;
  /** Periodic delta since the last flush; `undefined` sends nothing. */
  flush(): unknown;
  /** Called once at process exit, synchronously; `undefined` sends nothing. */
  finish(): unknown;
  /** Events dropped inside the monitor (a remote one's output buffer full), beside its links' drops. */
  drops?(): number;
}

export type MonitorLoader = (spec: string) => Promise<AgentMonitor>;
