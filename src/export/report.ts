import { existsSync } from 'node:fs';
import { ErrorCode, MscopeError } from '../core/index.js';
import { renderReport, type AcctRecord } from '../accounting/index.js';
import { NoSuchRun, readRuns, readStore } from './store.js';
import type { RunSummary } from './store-runs.js';

/** `mscope report FILE`: the per-token table of one run of a store file (default: the latest), as text. */
export async function reportFile(path: string, run?: number): Promise<string> {
  return renderReport(await readStoreFor('mscope report', path, run));
}

/**
 * The records of one run of a store file for a command (`mscope report`, `mscope explore`):
 * a missing file, a file that is not a store or a run it lacks is one line naming the command.
 */
export function readStoreFor(command: string, path: string, run?: number): Promise<AcctRecord[]> {
  return reading(command, path, () => readStore(path, run));
}

/** `mscope report --runs FILE`: one line per run, oldest first. */
export async function reportRuns(path: string): Promise<string> {
  return renderRuns(await reading('mscope report', path, () => readRuns(path)));
}

export function renderRuns(runs: readonly RunSummary[]): string {
  const rows = runs.map((r) => [
    String(r.run),
    r.startedNs === null ? '-' : new Date(r.startedNs / 1e6).toISOString(),
    r.pids.length === 0 ? '-' : r.pids.join(','),
    String(r.activities),
    r.command ?? '-',
  ]);
  const header = ['RUN', 'STARTED', 'PIDS', 'ACTIVITIES', 'COMMAND'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

async function reading<T>(command: string, path: string, read: () => Promise<T>): Promise<T> {
  if (!existsSync(path)) throw new MscopeError(ErrorCode.BadUsage, `${command}: no such file: ${path}`);
  try {
    return await read();
  } catch (e) {
    if (e instanceof NoSuchRun) throw new MscopeError(ErrorCode.BadUsage, `${command}: ${path} ${e.message}`);
    throw new MscopeError(
      ErrorCode.BadUsage,
      `${command}: ${path} is not an accounting store (${e instanceof Error ? e.message : String(e)})`,
      { cause: e },
    );
  }
}
