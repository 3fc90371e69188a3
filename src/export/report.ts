import { existsSync } from 'node:fs';
import { ErrorCode, MscopeError } from '../core/index.js';
import { renderReport } from '../accounting/index.js';
import { readStore } from './store.js';

/** `mscope report FILE`: the per-token table of a store file, as text. */
export async function reportFile(path: string): Promise<string> {
  if (!existsSync(path)) throw new MscopeError(ErrorCode.BadUsage, `mscope report: no such file: ${path}`);
  let records;
  try {
    records = await readStore(path);
  } catch (e) {
    throw new MscopeError(
      ErrorCode.BadUsage,
      `mscope report: ${path} is not an accounting store (${e instanceof Error ? e.message : String(e)})`,
      { cause: e },
    );
  }
  return renderReport(records);
}
