import { fireEvent, NO_ARGS, type Probe } from '../core/index.js';
import type { SelfDebugger } from './debugger.js';

/**
 * Probes run by breakpoints that never pause: the condition calls `hit` in the probed frame
 * (its arguments and locals in scope) and yields false. About 80 µs a hit, against a few ns
 * for a live edit: each breakpoint has a budget of hits, then is removed with a warning.
 */
export const BREAKPOINT_BUDGET = 10_000;

const HIT = Symbol.for('microscope.hit');
type WithHit = typeof globalThis & { [HIT]?: (k: number, thisArg: unknown, args: ArrayLike<unknown> | undefined) => void };

class BreakpointProbe {
  left = BREAKPOINT_BUDGET;
  constructor(
    readonly probe: Probe,
    readonly id: string,
    /** Where it landed, 1-based. */
    readonly line: number,
    readonly column: number,
  ) {}
}

export class BreakpointProbes {
  private readonly all: Array<BreakpointProbe | null> = [];

  constructor(
    private readonly debug: SelfDebugger,
    private readonly warn: (text: string) => void,
  ) {
    (globalThis as WithHit)[HIT] = (k, thisArg, args) => this.hit(k, thisArg, args);
  }

  /**
   * A breakpoint at 0-based `line`/`column` of a script that fires `probe` (made by `makeProbe`
   * once the landing place is known) with `args`, an expression evaluated in the frame.
   */
  add(
    scriptId: string,
    line: number,
    column: number,
    args: string,
    thisArg: string,
    makeProbe: (line: number, column: number) => Probe,
  ): Probe {
    const k = this.all.length;
    const condition = `(globalThis[Symbol.for("microscope.hit")](${k}, ${thisArg}, ${args}), false)`;
    this.debug.enable();
    const at = this.debug.setBreakpoint(scriptId, line, column, condition);
    const probe = makeProbe(at.line + 1, at.column + 1);
    this.all.push(new BreakpointProbe(probe, at.id, at.line + 1, at.column + 1));
    return probe;
  }

  get size(): number {
    return this.all.filter((b) => b !== null).length;
  }

  /** What `mscope links` says of each: the probe, and the hits left. */
  describe(): Array<{ probe: Probe; left: number }> {
    return this.all.filter((b): b is BreakpointProbe => b !== null).map((b) => ({ probe: b.probe, left: b.left }));
  }

  removeAll(): void {
    for (let k = 0; k < this.all.length; k++) this.remove(k);
    delete (globalThis as WithHit)[HIT];
  }

  private hit(k: number, thisArg: unknown, args: ArrayLike<unknown> | undefined): void {
    const b = this.all[k];
    if (b === undefined || b === null || !b.probe.enabled) return;
    if (b.left <= 0) return;
    b.left--;
    fireEvent(b.probe, args === undefined || b.probe.readsArgs !== true ? NO_ARGS : Array.prototype.slice.call(args), thisArg);
    if (b.left === 0) {
      // The inspector cannot be re-entered from a breakpoint's condition.
      setImmediate(() => {
        this.remove(k);
        this.warn(`${name(b.probe)}: its breakpoint ran out of its ${BREAKPOINT_BUDGET} hits and was removed`);
      });
    }
  }

  private remove(k: number): void {
    const b = this.all[k];
    if (b === undefined || b === null) return;
    this.all[k] = null;
    this.debug.removeBreakpoint(b.id);
  }
}

function name(p: Probe): string {
  return `${p.provider}:${p.module}:${p.func}:${p.name}`;
}
