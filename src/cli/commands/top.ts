import { parseOwn, pidOrCommand, printUsage, splitCommand, usage } from '../args.js';
import { failedOutput, openOutput } from '../../consumer/output.js';
import { trace } from '../../consumer/trace.js';
import { CommandTarget } from '../../consumer/command-target.js';
import { TopConsumer } from '../../consumer/top-consumer.js';
import { TOP_METRICS, type MetricName } from '../../consumer/top-table.js';
import { printingScriptErrors } from '../../lang/script-spec.js';
import { functionsProgram } from '../script/functions-program.js';
import type { ConsumerMonitor } from '../../consumer/consumer.js';
import type { TraceTarget } from '../../consumer/trace.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  match: { type: 'string', short: 'm', multiple: true },
  sort: { type: 'string', short: 's' },
  delay: { type: 'string', short: 'd' },
  batch: { type: 'boolean', short: 'b' },
  iterations: { type: 'string', short: 'n' },
} as const;

/** Under attach some functions have no return point spliced (docs/ATTACH.md): their exit metrics cannot be had. */
const ATTACH_NOTE =
  'attached: a function shows only CALLS until one of its calls returns; one without a return point (a one-line body; every function on Node 24 and 26, which run them on breakpoints) never does (docs/ATTACH.md)';

/**
 * `mscope top PID` / `mscope top -- CMD`: kperfmon's window for Node. The functions matching
 * `-m` (all `fn` functions by default) with their calls, concurrency, wall time and vtime per
 * refresh, sorted by one metric; `-b` prints refreshes as text (as `top -b`), `-n` stops after
 * that many, which detaches from PID or ends CMD.
 */
export function topCommand(args: readonly string[]): Promise<number> {
  return printingScriptErrors(async () => {
    const { own, command } = splitCommand(args, OPTIONS, true);
    const { values, positionals } = parseOwn('top', own, OPTIONS, true);
    if (values.help === true) return printUsage('top');
    const pid = pidOrCommand('top', positionals, command);
    const sort = metricOf(values.sort ?? (pid === undefined ? 'vtime' : 'calls'));
    const intervalMs = secondsOf('-d', values.delay ?? '1') * 1000;
    const count = values.iterations === undefined ? Number.POSITIVE_INFINITY : countOf(values.iterations);
    const batch = values.batch === true || !process.stdout.isTTY;
    const { program, spec } = functionsProgram('mscope top: -m', values.match ?? ['*']);
    const target: TraceTarget =
      pid === undefined
        ? new CommandTarget(command, process.cwd(), batch ? 'inherit' : 'ignore')
        : new (await import('../../attach/attach-target.js')).AttachTarget(pid);
    const out = openOutput(undefined);
    let top: TopConsumer | null = null;
    const consumers = new Map<string, ConsumerMonitor>();
    const proxy: ConsumerMonitor = {
      delta: (p, d) => top?.delta(p, d),
      final: (p, d) => top?.final(p, d),
      end: (o) => top?.end(o),
    };
    consumers.set('script', proxy);
    let stop: (code: number) => void = () => {};
    try {
      const result = await trace({
        target,
        monitors: [{ kind: 'd', name: 'script', spec }],
        options: { root: target.root },
        out,
        quiet: true,
        consumers,
        // Refreshes count from when the probes are in: the agent's `attached`, or a command's first agent.
        onMessage: (_pid, m) => {
          if (top !== null || m.t !== (pid === undefined ? 'hello' : 'attached')) return;
          top = new TopConsumer(
            program,
            { out, exit: (code) => stop(code) },
            {
              target: pid === undefined ? command.join(' ') : `pid ${pid}`,
              intervalMs,
              sort,
              batch,
              count,
              exits: pid === undefined ? 'all' : 'returned',
              notes: pid === undefined ? [] : [ATTACH_NOTE],
            },
          );
          top.start();
        },
        onStarted: (s) => (stop = s),
      });
      return failedOutput(result.status, out, result.failed);
    } finally {
      target.dispose();
      out.close();
    }
  });
}

function metricOf(name: string): MetricName {
  const m = TOP_METRICS.find((x) => x.name === name || x.key === name);
  if (m === undefined) throw usage(`mscope top: unknown metric "${name}"; expected one of ${TOP_METRICS.map((x) => x.name).join(', ')}`);
  return m.name as MetricName;
}

function secondsOf(option: string, text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s >= 0.05) || s > 3600)
    throw usage(`mscope top: ${option} expects seconds (0.05 to 3600), got "${text}"`);
  return s;
}

function countOf(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw usage(`mscope top: -n expects a positive number of refreshes, got "${text}"`);
  return n;
}
