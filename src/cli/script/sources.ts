import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { ErrorCode, MscopeError, inputFileRefusal } from '../../core/index.js';
import type { Source } from '../../lang/index.js';

/**
 * The program named by `-e` and `-s` options, in command-line order: DTrace concatenates
 * them into one program. `-e` texts are named `-e`, `-e#2`… in diagnostics.
 */
export function scriptSources(args: readonly string[]): Source[] {
  const out: Source[] = [];
  let inline = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (flag: string): string | undefined => {
      if (a === flag) return args[++i];
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
      if (flag.length === 2 && a.startsWith(flag) && a.length > 2) return a.slice(2);
      return undefined;
    };
    if (a === '--') break;
    const e = value('-e') ?? value('--program');
    if (e !== undefined) {
      out.push({ file: ++inline === 1 ? '-e' : `-e#${inline}`, text: e });
      continue;
    }
    const s = value('-s') ?? value('--script');
    if (s !== undefined) out.push({ file: s, text: readScript(s) });
  }
  return out;
}

/** Far beyond any real D program; a bound, so that a huge or endless file is refused rather than read forever. */
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

function readScript(file: string): string {
  const fail = (why: string): MscopeError => new MscopeError(ErrorCode.BadScript, `cannot read script ${file}: ${why}`);
  let fd: number;
  try {
    // Non-blocking: opening a FIFO that no one writes to waited forever; it is refused below.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fail((error as NodeJS.ErrnoException).code ?? String(error));
  }
  try {
    const refused = inputFileRefusal(fstatSync(fd), MAX_SCRIPT_BYTES);
    if (refused !== null) throw fail(refused);
    const text = readFileSync(fd, 'utf8');
    // An editor's byte-order mark (Windows Notepad writes one) is not part of the program.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    if (error instanceof MscopeError) throw error;
    throw fail((error as NodeJS.ErrnoException).code ?? String(error));
  } finally {
    closeSync(fd);
  }
}

/** `-x name=value` (or `-x name`, meaning 1). */
export function parseSettings(values: readonly string[]): Array<[string, string]> {
  return values.map((v) => {
    const eq = v.indexOf('=');
    return eq < 0 ? [v, '1'] : [v.slice(0, eq), v.slice(eq + 1)];
  });
}
