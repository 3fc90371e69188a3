import { linksNothing, type AgentOptions, type MonitorSpec } from '../agent/protocol.js';
import { nodeOptionsWithAgent, withLightAgent } from '../agent/node-options.js';
import { TracedChild, checkCommand, exitStatus } from './child.js';
import { Session } from './session.js';
import { Stopper } from './stopper.js';
import { setTargetPid } from '../core/target-pid.js';
import type { TraceTarget } from './trace.js';

/** CMD started early and held by its agent until `run` writes the monitors, as `dtrace -c` holds its process while it compiles. */
interface Held {
  readonly child: TracedChild;
  readonly session: Session;
  readonly options: string;
}

/** `mscope run -- CMD`: CMD started with the agent in NODE_OPTIONS; tracing ends when it exits, with its status. */
export class CommandTarget implements TraceTarget {
  private stopper: Stopper | null = null;
  private held: Held | null = null;
  private released = false;
  readonly nothingTraced = 'mscope: no Node.js process started by the command reported back; nothing was traced';

  constructor(
    private readonly command: readonly string[],
    readonly root: string,
    /** CMD's stdio: the terminal's, or none (`mscope top` draws on the terminal). */
    private readonly stdio: 'inherit' | 'ignore' = 'inherit',
  ) {}

  /**
   * Starts CMD now, so that Node's start-up runs beside mscope's own compiling. Its agent waits,
   * before any of the program runs, until `run` writes the monitors; `dispose` before that kills
   * it. Only for a command that is Node itself: anything else would run before it is traced.
   */
  hold(options: AgentOptions): void {
    const session = Session.create();
    this.held = { child: this.spawn(session, options), session, options: JSON.stringify(options) };
    // mscope may fail before `run` awaits it: a spawn error is reported there, never as unhandled.
    this.held.child.exited.catch(() => {});
  }

  /** Before BEGIN: a command spawn would not find is refused now, not after BEGIN has run (or ended tracing). */
  async prepare(): Promise<void> {
    if (this.held === null) checkCommand(this.command[0]!, this.root);
  }

  /** The session a held CMD reports to; trace() uses it instead of a new one. */
  get session(): Session | undefined {
    return this.held?.session;
  }

  async run(session: Session, monitors: readonly MonitorSpec[], options: AgentOptions): Promise<number> {
    let child: TracedChild;
    if (this.held !== null) {
      if (session !== this.held.session || JSON.stringify(options) !== this.held.options)
        throw new Error('a held command runs in the session and with the options it was started with');
      session.writeMonitors(monitors);
      this.released = true;
      child = this.held.child;
    } else {
      session.writeMonitors(monitors);
      child = this.spawn(session, options, monitors);
    }
    const stopper = new Stopper(child, session);
    this.stopper = stopper;
    session.startPolling();
    const exit = await child.exited.finally(() => stopper.childExited());
    return stopper.killedFor === null ? exitStatus(exit) : exitStatus({ code: null, signal: stopper.killedFor });
  }

  stop(signal: NodeJS.Signals): void {
    this.stopper?.stop(signal, false);
  }

  answer(pid: number): void {
    this.stopper?.answer(pid);
  }

  get killed(): ReadonlySet<number> {
    return this.stopper?.killed ?? new Set();
  }

  /** Also ends a held CMD that was never released: none of its program has run. */
  dispose(): void {
    this.stopper?.dispose();
    if (this.held !== null && !this.released) {
      this.held.child.kill('SIGKILL');
      this.held.session.dispose();
      this.released = true;
    }
  }

  /**
   * `monitors`: known when CMD starts after they are written; a held CMD's agent learns them later
   * and hands the processes it starts the light preload itself (agent/launch.ts).
   */
  private spawn(session: Session, options: AgentOptions, monitors?: readonly MonitorSpec[]): TracedChild {
    const withAgent = nodeOptionsWithAgent(process.env.NODE_OPTIONS);
    const light = monitors !== undefined && linksNothing(options, monitors);
    const env = { ...process.env, ...session.env(options), NODE_OPTIONS: light ? withLightAgent(withAgent) : withAgent };
    const child = new TracedChild(this.command, env, this.root, this.stdio);
    if (child.pid !== undefined) setTargetPid(child.pid);
    return child;
  }
}
