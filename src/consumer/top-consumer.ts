import type { CompiledProgram } from '../lang/index.js';
import type { ConsumerContext, ConsumerMonitor } from './consumer.js';
import { FunctionMetrics } from './function-metrics.js';
import type { OutputSink } from './output.js';
import { renderFrame, sortRows, TOP_METRICS, type ExitsTraced, type MetricName, type TopRow } from './top-table.js';

export interface TopOptions {
  /** What the heading names: `pid 1234`, or the command. */
  readonly target: string;
  readonly intervalMs: number;
  readonly sort: MetricName;
  /** Batch mode (`-b`, as `top -b`): each refresh printed as text, no screen control, no keys. */
  readonly batch: boolean;
  /** Stop tracing after this many refreshes; Infinity for until ^C, `q` or the target's end. */
  readonly count: number;
  /** Whose return points are traced: every function's, or under attach those seen to return. */
  readonly exits: ExitsTraced;
  readonly notes: readonly string[];
}

const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l';
const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';
const HOME = '\x1b[H';
const CLEAR_BELOW = '\x1b[J';

/**
 * `mscope top`'s consumer: merges the agents' deltas of its D program (top-table.ts) and
 * every interval shows what the picked functions did in it, sorted by one metric. In a
 * terminal it draws on the alternate screen and reads keys (a metric's letter sorts by it,
 * `q` or ^C ends); the terminal is given back as it was, and the last refresh is printed.
 */
export class TopConsumer implements ConsumerMonitor {
  private readonly metrics: FunctionMetrics;
  private sort: MetricName;
  private refreshes = 0;
  private timer: NodeJS.Timeout | null = null;
  private screen = false;
  private lastFrame = '';
  private rows: TopRow[] = [];
  private readonly onKey = (data: Buffer): void => this.key(data.toString('latin1'));
  private readonly restore = (): void => this.leaveScreen();

  constructor(
    program: CompiledProgram,
    private readonly ctx: Pick<ConsumerContext, 'out' | 'exit'>,
    private readonly options: TopOptions,
  ) {
    this.sort = options.sort;
    this.metrics = new FunctionMetrics(program, options.exits);
  }

  /** Starts the refreshes (and, in a terminal, the screen and keys) once tracing has begun. */
  start(): void {
    this.metrics.restart();
    if (!this.options.batch) {
      this.screen = true;
      this.ctx.out.write(ENTER_SCREEN);
      process.once('exit', this.restore);
      const stdin = process.stdin;
      if (stdin.isTTY) {
        stdin.setRawMode(true);
        stdin.on('data', this.onKey);
        stdin.resume();
      }
      this.draw(this.frame(false));
    }
    this.timer = setInterval(() => this.refresh(), this.options.intervalMs);
  }

  delta(pid: number, data: unknown): void {
    this.metrics.delta(pid, data);
  }

  final(pid: number, data: unknown): void {
    this.metrics.final(pid, data);
  }

  end(out: OutputSink): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const wasScreen = this.screen;
    this.leaveScreen();
    // On the terminal, the last refresh stays in view; in batch mode the calls since the last
    // refresh are printed too, unless `-n` printed every refresh asked for already.
    if (wasScreen) out.write(this.lastFrame);
    else if (this.refreshes < this.options.count) out.write(this.frame(true));
    this.metrics.end();
  }

  private refresh(): void {
    const text = this.frame(true);
    this.refreshes++;
    if (this.options.batch) this.ctx.out.write(`${text}\n`);
    else this.draw(text);
    if (this.refreshes >= this.options.count) {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      this.ctx.exit(0);
    }
  }

  /** The table since the last refresh; `advance` makes now the start of the next interval. */
  private frame(advance: boolean): string {
    this.rows = this.metrics.interval(advance);
    return this.render();
  }

  private render(): string {
    const rows = sortRows(this.rows, this.sort);
    const o = this.options;
    const sortTitle = TOP_METRICS.find((m) => m.name === this.sort)!.title;
    const keys = o.batch ? '' : `  (${TOP_METRICS.map((m) => m.key).join(' ')}: sort, q: quit)`;
    const heading = `mscope top: ${o.target}, ${rows.length} function${rows.length === 1 ? '' : 's'}, by ${sortTitle}, every ${o.intervalMs / 1000} s${keys}`;
    // A terminal that reports no size (0) is taken as 80×24.
    const width = o.batch ? 132 : process.stdout.columns || 80;
    const maxRows = o.batch ? Number.POSITIVE_INFINITY : Math.max(1, (process.stdout.rows || 24) - 4 - o.notes.length);
    const text = renderFrame({ heading, rows, sort: this.sort, notes: o.notes, width, maxRows });
    this.lastFrame = text;
    return text;
  }

  private draw(text: string): void {
    this.ctx.out.write(`${HOME}${text.replace(/\n/g, '\x1b[K\n')}${CLEAR_BELOW}`);
  }

  private key(input: string): void {
    for (const c of input) {
      if (c === 'q' || c === '\x03' || c === '\x04') {
        this.ctx.exit(0);
        return;
      }
      const m = TOP_METRICS.find((x) => x.key === c);
      if (m !== undefined) {
        this.sort = m.name as MetricName;
        this.draw(this.render());
      }
    }
  }

  private leaveScreen(): void {
    if (!this.screen) return;
    this.screen = false;
    process.removeListener('exit', this.restore);
    const stdin = process.stdin;
    if (stdin.isTTY) {
      stdin.removeListener('data', this.onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
    this.ctx.out.write(LEAVE_SCREEN);
  }
}
