import type { Stats } from 'node:fs';

/**
 * Why a file the user names as input (a script, a monitor) is not read, or null: only a regular
 * file of at most `maxBytes` is, since a FIFO blocks its reader and a device may never end.
 */
export function inputFileRefusal(st: Stats, maxBytes: number): string | null {
  if (!st.isFile()) return 'not a regular file';
  return st.size > maxBytes ? `larger than ${maxBytes / 1024 / 1024} MiB` : null;
}
