import type { BindingKind } from '../weaver/index.js';
import type { SkippedFunction } from '../core/index.js';

/**
 * What `mscope` tells the agent in every Node process CMD starts, through the environment,
 * and what each agent writes back: newline-delimited JSON in `<session>/<pid>.ndjson`.
 */
export const ENV_SESSION = 'MSCOPE_SESSION';
/** The monitors travel in a file of the session directory: a script can outgrow an environment variable (E2BIG). */
export const ENV_MONITORS_FILE = 'MSCOPE_MONITORS_FILE';
export const ENV_OPTIONS = 'MSCOPE_OPTIONS';

/** One monitor to load in every process; `kind` selects the loader (`ts`, later `d`). */
export interface MonitorSpec {
  readonly kind: string;
  /** How mscope names it in messages: the path the user typed. */
  readonly name: string;
  /** What the loader needs: an absolute file path, or script text. */
  readonly spec: string;
  /**
   * The monitor runs in mscope alone (a D program of END, tick-N and ERROR clauses): a traced
   * process runs nothing of it and so loads nothing for it, not even the compiler.
   */
  readonly consumerOnly?: boolean;
}

export interface AgentOptions {
  /** Binding chosen with `-b`; overrides the monitor's own. */
  readonly binding?: BindingKind;
  /** `--modules` globs for the instrumentation. */
  readonly modules?: readonly string[];
  /** Root that `fn` module names are relative to: mscope's working directory. */
  readonly root: string;
  /** Report every probe and skipped function at exit (`mscope list`). */
  readonly list?: boolean;
  /** `mscope list --skipped`: also say why each file or function was not instrumented. */
  readonly skipped?: boolean;
}

/** `[id, provider, module, function, name]`, compact because a process can have thousands. */
export type ProbeRow = [number, string, string, string, string];

export interface LinkReport {
  readonly description: string;
  readonly probes: number;
  readonly events: number;
  readonly faults: number;
  readonly drops: number;
  /** Events by the binding that carried them: what the probe-effect estimate multiplies. */
  readonly bindings: Partial<Record<BindingKind, number>>;
  /** Batches those events went in, by binding, where it posts them (message): the estimate's per-batch term. */
  readonly batches?: Partial<Record<BindingKind, number>>;
}

export type AgentMessage =
  | { t: 'hello'; pid: number; ppid: number; argv: string[] }
  /**
   * mscope attach: the agent is up and serves `detach` on this control socket; the inspector is
   * closed. `matched`: probes each linked description matches in the process now, by its text.
   */
  | { t: 'attached'; control: string; node: string; matched: Record<string, number> }
  /** mscope attach: the agent could not start (written by attach/bootstrap.cjs); the inspector is closed. */
  | { t: 'attach-failed'; message: string }
  /** `records`: a D program's record line, under the run's header; `flow`: flowindent's (`CPU FUNCTION`). */
  | { t: 'output'; text: string; records?: true; flow?: true }
  /** A runtime error or warning of a monitor (DTrace's `error on enabled probe`): mscope's stderr. */
  /** `once`: mscope prints the text once however many processes send it. */
  | { t: 'warn'; text: string; once?: boolean }
  /** The agent saw a terminating signal: the process is not stuck in JavaScript. */
  | { t: 'signal'; signal: string }
  | { t: 'probes'; probes: ProbeRow[] }
  | { t: 'skipped'; skipped: SkippedFunction[] }
  | { t: 'stats'; monitor: string; links: LinkReport[]; firstFault?: string; restarts?: number }
  | { t: 'fault'; monitor: string; message: string }
  | { t: 'exit-request'; code: number }
  | { t: 'drops'; tid: number; drops: number }
  /** Messages of this process that a write to the session directory dropped (a full disk), and the first write's error. */
  | { t: 'lost'; messages: number; cause: string }
  | { t: 'delta'; monitor: string; data: unknown }
  | { t: 'final'; monitor: string; data: unknown };

/**
 * Whether an agent with these monitors links nothing: every monitor runs in mscope alone (END,
 * tick-N), and no `mscope list` or `--modules` asks for probes or the rewrite. The same for
 * every process of a session, since they all read one monitors file.
 */
export function linksNothing(options: AgentOptions, specs: readonly MonitorSpec[]): boolean {
  return options.list !== true && (options.modules?.length ?? 0) === 0 && specs.every((s) => s.consumerOnly === true);
}
