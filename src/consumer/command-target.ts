import type { AgentOptions, MonitorSpec } from '../agent/protocol.js';
import { TracedChild, exitStatus, nodeOptionsWithAgent } from './child.js';
import type { Session } from './session.js';
import { Stopper } from './stopper.js';
import { setTargetPid } from '../lang/runtime/target.js';
import type { TraceTarget } from './trace.js';

/** `mscope run -- CMD`: CMD started with the agent in NODE_OPTIONS; tracing ends when it exits, with its status. */
export class CommandTarget implements TraceTarget {
  private stopper: Stopper | null = null;
  readonly nothingTraced = 'mscope: no Node.js process started by the command reported back; nothing was traced';

  constructor(
    private readonly command: readonly string[],
    readonly root: string,
    /** CMD's stdio: the terminal's, or none (`mscope top` draws on the terminal). */
    private readonly stdio: 'inherit' | 'ignore' = 'inherit',
  ) {}

  async run(session: Session, monitors: readonly MonitorSpec[], options: AgentOptions): Promise<number> {
    const env = { ...process.env, ...session.env(monitors, options), NODE_OPTIONS: nodeOptionsWithAgent(process.env.NODE_OPTIONS) };
    const child = new TracedChild(this.command, env, this.root, this.stdio);
    if (child.pid !== undefined) setTargetPid(child.pid);
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

  dispose(): void {
    this.stopper?.dispose();
  }
}
