import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { claimPrivateDir, effectiveUid, isPrivateFile } from '../core/private-dir.js';
import { TRANSFORM_VERSION } from './transform.js';

// Captured once: a `node:fs` probe wrapping these later must not see the agent's own reads.
const { openSync, closeSync, fstatSync, readFileSync, writeFileSync, renameSync, rmSync, accessSync, constants } = fs;

const HEADER = '//mscope-cache ';
let written = 0;

/**
 * Transformed code on disk, keyed by a SHA-256 of (source, module name, format, transform
 * version): a warm cache skips parsing entirely. The code is run inside traced processes, root's
 * included, so a directory is used only if this user owns it and it is 0700, and an entry only if
 * it is this user's private file whose first line repeats its key. Writes go through a rename so
 * that concurrent processes never read a half-written entry.
 */
export class TransformCache {
  readonly dir: string | null;

  constructor(dir: string | null) {
    this.dir = dir;
  }

  static open(root: string, dir?: string): TransformCache {
    return new TransformCache(privateCacheDir(root, dir));
  }

  /** Hex SHA-256: what an entry is named and what its first line must repeat. */
  static key(source: string, module: string, format: string): string {
    return createHash('sha256').update(`${TRANSFORM_VERSION}\0${format}\0${module}\0${source}`).digest('hex');
  }

  get(key: string): string | undefined {
    if (this.dir === null) return undefined;
    const text = readPrivateFile(join(this.dir, `${key}.js`));
    const head = `${HEADER}${key}\n`;
    return text?.startsWith(head) === true ? text.slice(head.length) : undefined;
  }

  set(key: string, code: string): void {
    // A read-only or full disk only costs the next start a re-transform.
    if (this.dir !== null) writePrivateFile(join(this.dir, `${key}.js`), `${HEADER}${key}\n${code}`);
  }
}

/**
 * microScope's cache directory for this user: `dir`, MSCOPE_CACHE_DIR, the project's
 * node_modules/.cache/mscope (unless `root` is null: what is cached is the machine's) or a per-user one in the temporary directory, the first that this
 * user owns (lstat, no symlink), is 0700 and can write; null when none is.
 */
export function privateCacheDir(root: string | null, dir?: string): string | null {
  const uid = effectiveUid();
  const candidates = [
    dir ?? process.env.MSCOPE_CACHE_DIR,
    root === null ? undefined : resolve(root, 'node_modules', '.cache', 'mscope'),
    join(tmpdir(), uid === null ? 'mscope-cache' : `mscope-cache-${uid}`),
  ];
  for (const c of candidates) {
    if (c === undefined || c === '') continue;
    try {
      if (claimPrivateDir(c) !== null) continue;
      accessSync(c, constants.W_OK);
      return c;
    } catch {
      continue;
    }
  }
  return null;
}

/** A private file of this user in a private cache directory (O_NOFOLLOW), or undefined. */
export function readPrivateFile(file: string): string | undefined {
  let fd = -1;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    return isPrivateFile(fstatSync(fd)) ? readFileSync(fd, 'utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Writes through a fresh 0600 file and a rename, so that no reader sees half of it; false if it could not. */
export function writePrivateFile(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}-${written++}.tmp`;
  try {
    // 'wx' refuses an existing path (a planted file or symlink) instead of writing through it.
    writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    removeQuietly(tmp);
    return false;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The directory itself is gone or read-only: nothing was left behind to remove.
  }
}
