import { readStoreFor } from '../../export/index.js';
import { ExploreData, startExplorer } from '../../ui/index.js';
import { parseOwn, printUsage, usage } from '../args.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  run: { type: 'string' },
  port: { type: 'string' },
} as const;

/** The store `mscope run --acct` writes when no --store is given. */
const DEFAULT_STORE = 'mscope.db';

/** `mscope explore [--run ID] [--port N] [STORE]`: the Latency Explorer over a store, until ^C. */
export async function exploreCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOwn('explore', [...args], OPTIONS, true);
  if (values.help === true) return printUsage('explore');
  if (positionals.length > 1) throw usage('mscope explore: expected at most one STORE (an accounting store written by mscope run --acct)');
  const file = positionals[0] ?? DEFAULT_STORE;
  const run = values.run === undefined ? undefined : wholeNumber('--run', values.run);
  const port = values.port === undefined ? 0 : wholeNumber('--port', values.port);
  if (port > 65535) throw usage(`mscope explore: --port expects a port number, got "${values.port}"`);
  const records = await readStoreFor('mscope explore', file, run);
  const explorer = await startExplorer(new ExploreData(records, { path: file, run: run ?? null }), { port });
  process.stdout.write(`mscope explore: ${records.length} activities from ${file}; open ${explorer.url}\n(^C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await explorer.close();
  return 0;
}

function wholeNumber(option: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw usage(`mscope explore: ${option} expects a number, got "${text}"`);
  return n;
}
