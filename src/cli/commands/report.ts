import { reportFile } from '../../export/index.js';
import { parseOwn, printUsage, usage } from '../args.js';

/** `mscope report FILE`: per token, count, p50/p95/p99 latency and the mean breakdown by subsystem. */
export async function reportCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOwn('report', [...args], { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help === true) return printUsage('report');
  if (positionals.length !== 1) throw usage('mscope report: expected one FILE (an accounting store written by mscope run --acct)');
  const text = await reportFile(positionals[0]!);
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
