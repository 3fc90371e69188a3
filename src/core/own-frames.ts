import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own folders: a file or stack frame under them is microScope's, not the program's.
 * src/ too, because a source-mapped stack (tsx, --enable-source-maps) names built frames by
 * their src/ files; lib/ is the bundle that runs, dist/ tsc's build of the same modules.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN_FOLDERS = ['src', 'dist', 'lib'].map((f) => `${PACKAGE_ROOT}${f}${sep}`);
const OWN_ROOTS = [...OWN_FOLDERS, ...OWN_FOLDERS.map((f) => `file://${f}`)];

export function isOwnFrame(frame: string): boolean {
  for (const root of OWN_ROOTS) if (frame.includes(root)) return true;
  return false;
}

/** Whether an absolute file name is one of microScope's own files. */
export function isOwnFile(filename: string): boolean {
  for (const folder of OWN_FOLDERS) if (filename.startsWith(folder)) return true;
  return false;
}

/**
 * The stack an event stands for when it is not the stack that fires it (a profile sample):
 * ustack() prints these frames, innermost first. Set only around the emit of such an event.
 */
export const eventStack: { frames: readonly string[] | null } = { frames: null };
