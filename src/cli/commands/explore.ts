import { existsSync } from 'node:fs';
import { ErrorCode, MscopeError } from '../../core/index.js';
import { readStoreFor } from '../../export/index.js';
import { ExploreData, startExplorer } from '../../ui/index.js';
import { parseOwn, printUsage, usage } from '../args.js';
import { ATTACH_OPTIONS } from './run-options.js';

const STORE_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  run: { type: 'string' },
  port: { type: 'string' },
} as const;

/** Both forms' options: the argument's form is known only once they are parsed. */
const OPTIONS = { ...ATTACH_OPTIONS, ...STORE_OPTIONS } as const;

/** The store `mscope run --acct` writes when no --store is given. */
const DEFAULT_STORE = 'mscope.db';

/**
 * An argument names a process when it is all digits and no file of that name exists:
 * a store named `1234` in the current directory is still explored as a store.
 */
export function namesProcess(arg: string): boolean {
  return /^\d+$/.test(arg) && !existsSync(arg);
}

/**
 * `mscope explore [--run ID] [--port N] [STORE]`: the Latency Explorer over a store, until ^C.
 * `mscope explore [--port N] [--store FILE] … PID`: over a running process, attached (`mscope attach --explore PID`).
 */
export async function exploreCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOwn('explore', [...args], OPTIONS, true);
  if (values.help === true) return printUsage('explore');
  if (positionals.length > 1)
    throw usage('mscope explore: expected at most one STORE (an accounting store written by mscope run --acct) or PID');
  const arg = positionals[0];
  if (arg !== undefined && namesProcess(arg)) {
    if (values.run !== undefined) throw usage('mscope explore: --run chooses a run of a STORE; a PID is explored live');
    if (!existsSync(`/proc/${arg}`)) throw new MscopeError(ErrorCode.CannotAttach, `no process ${arg}, and no store file named ${arg}`);
    return (await import('./run.js')).explorePidCommand(args);
  }
  const processOnly = Object.keys(values).filter((k) => !(k in STORE_OPTIONS));
  if (processOnly.length > 0)
    throw usage(`mscope explore: --${processOnly[0]} applies to a running process (mscope explore PID), not to a STORE`);
  const file = arg ?? DEFAULT_STORE;
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
