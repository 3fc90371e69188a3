import { reportFile, reportRuns } from '../../export/index.js';
import { parseOwn, printUsage, usage } from '../args.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  run: { type: 'string' },
  runs: { type: 'boolean' },
} as const;

/** `mscope report [--run ID | --runs] FILE`: per token, count, p50/p95/p99 latency and the mean breakdown by subsystem. */
export async function reportCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOwn('report', [...args], OPTIONS, true);
  if (values.help === true) return printUsage('report');
  if (positionals.length !== 1) throw usage('mscope report: expected one FILE (an accounting store written by mscope run --acct)');
  const file = positionals[0]!;
  let run: number | undefined;
  if (values.run !== undefined) {
    run = Number(values.run);
    if (!/^\d+$/.test(values.run) || !Number.isSafeInteger(run))
      throw usage(`mscope report: --run expects a run number, got "${values.run}"`);
    if (values.runs === true) throw usage('mscope report: --run and --runs do not go together');
  }
  const text = values.runs === true ? await reportRuns(file) : await reportFile(file, run);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
