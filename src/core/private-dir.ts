import fs from 'node:fs';
import { dirname } from 'node:path';

// Taken at load: the fs provider must never see microScope's own housekeeping.
const { chmodSync, lstatSync, mkdirSync } = fs;

/** This process's effective uid, or null where there are no uids (Windows). */
export function effectiveUid(): number | null {
  return typeof process.geteuid === 'function' ? process.geteuid() : null;
}

/**
 * Makes `dir` a directory only this user can enter: created 0700 if missing, else accepted only
 * if `lstat` shows a real directory (no symlink) owned by this user, tightened to 0700 if looser.
 * Returns why it is refused, or null when it can be used. Another user who created the path
 * first, or points it elsewhere, gets a refusal, never our files.
 */
export function claimPrivateDir(dir: string): string | null {
  try {
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return (error as Error).message;
  }
  const why = notOwnDir(dir);
  if (why !== null) return why;
  if (effectiveUid() !== null && (lstatSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return null;
}

/** Why `dir` is not this user's private directory (0700, owned, not a symlink), or null if it is. */
export function notPrivateDir(dir: string): string | null {
  const why = notOwnDir(dir);
  if (why !== null || effectiveUid() === null) return why;
  return (lstatSync(dir).mode & 0o077) === 0 ? null : `${dir} is open to other users`;
}

function notOwnDir(dir: string): string | null {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return `${dir} does not exist`;
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  const uid = effectiveUid();
  if (uid !== null && st.uid !== uid) return `${dir} belongs to uid ${st.uid}, not to this user (uid ${uid})`;
  return null;
}

/** True when an open file is a regular file of this user that no one else may write or read. */
export function isPrivateFile(st: fs.Stats): boolean {
  const uid = effectiveUid();
  return st.isFile() && (uid === null || (st.uid === uid && (st.mode & 0o077) === 0));
}
