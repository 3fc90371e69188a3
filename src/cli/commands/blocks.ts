import { parseOwn, pidOrCommand, printUsage, splitCommand, usage } from '../args.js';
import { failedOutput, openOutput } from '../../consumer/output.js';
import { trace } from '../../consumer/trace.js';
import { CommandTarget } from '../../consumer/command-target.js';
import type { BlocksSpec } from '../../consumer/blocks-table.js';
import type { TraceTarget } from '../../consumer/trace.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  functions: { type: 'string', short: 'm', multiple: true },
  duration: { type: 'string', short: 'd' },
  output: { type: 'string', short: 'o' },
} as const;

/**
 * `mscope blocks [-d SECS] [-m GLOB]… (PID | -- CMD)`: V8 block coverage of the chosen functions
 * as a hot/cold table per function (KernInst's outlining analysis). With -- CMD, coverage starts
 * in each process before its program does and is taken when it exits (or after -d, which ends
 * CMD); with PID, mscope attaches as `mscope attach` does, and detaches after -d or at ^C.
 */
export async function blocksCommand(args: readonly string[]): Promise<number> {
  const { own, command } = splitCommand(args, OPTIONS, true);
  const { values, positionals } = parseOwn('blocks', own, OPTIONS, true);
  if (values.help === true) return printUsage('blocks');
  const pid = pidOrCommand('blocks', positionals, command);
  const patterns = values.functions ?? ['*'];
  for (const p of patterns) {
    if (p === '' || p.split(':').length > 2) throw usage(`mscope blocks: --functions expects FUNC or MODULE:FUNC globs, got "${p}"`);
  }
  const seconds = values.duration === undefined ? undefined : secondsOf(values.duration);
  const target: TraceTarget =
    pid === undefined
      ? new CommandTarget(command, process.cwd(), 'inherit')
      : new (await import('../../attach/attach-target.js')).AttachTarget(pid);
  const spec: BlocksSpec = { patterns, root: target.root };
  const out = openOutput(values.output);
  let timer: NodeJS.Timeout | undefined;
  let stop: (code: number) => void = () => {};
  try {
    const result = await trace({
      target,
      monitors: [{ kind: 'blocks', name: 'blocks', spec: JSON.stringify(spec) }],
      options: { root: target.root },
      out,
      quiet: true,
      // -d counts from when coverage is on: the agent's `attached`, or CMD's first agent.
      onMessage: (_pid, m) => {
        if (seconds === undefined || timer !== undefined || m.t !== (pid === undefined ? 'hello' : 'attached')) return;
        timer = setTimeout(() => stop(0), seconds * 1000);
      },
      onStarted: (s) => (stop = s),
    });
    return failedOutput(result.status, out, result.failed);
  } finally {
    clearTimeout(timer);
    target.dispose();
    out.close();
  }
}

function secondsOf(text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s > 0) || s > 86_400) throw usage(`mscope blocks: -d expects seconds (up to 86400), got "${text}"`);
  return s;
}
