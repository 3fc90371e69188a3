import { fileURLToPath } from 'node:url';

/**
 * The package's own folders: a stack frame under them is microScope's, not the program's.
 * Both, because a source-mapped stack (tsx, --enable-source-maps) names dist/'s frames by
 * their src/ files.
 */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWN_ROOTS = [`${PACKAGE_ROOT}src/`, `${PACKAGE_ROOT}dist/`, `file://${PACKAGE_ROOT}src/`, `file://${PACKAGE_ROOT}dist/`];

export function isOwnFrame(frame: string): boolean {
  for (const root of OWN_ROOTS) if (frame.includes(root)) return true;
  return false;
}

/**
 * The stack an event stands for when it is not the stack that fires it (a profile sample):
 * ustack() prints these frames, innermost first. Set only around the emit of such an event.
 */
export const eventStack: { frames: readonly string[] | null } = { frames: null };
