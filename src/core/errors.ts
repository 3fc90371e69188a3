/** Every user-facing error carries a stable `code` and prints as one line. */
export class MscopeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'MscopeError';
  }
}

/** The flags that grant what Node's permission model (--permission) denies, by the name its errors give. */
const PERMISSION_FLAGS: Readonly<Record<string, string>> = {
  FileSystemRead: '--allow-fs-read',
  FileSystemWrite: '--allow-fs-write',
  WorkerThreads: '--allow-worker',
  ChildProcess: '--allow-child-process',
  Addons: '--allow-addons',
  WASI: '--allow-wasi',
};

/**
 * A denial by Node's permission model in one line: what, where, and the flag that grants it
 * (its own message names none of them). Null for any other value.
 */
export function permissionDenial(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const { code, permission, resource } = e as { code?: unknown; permission?: unknown; resource?: unknown };
  if (code !== 'ERR_ACCESS_DENIED' || typeof permission !== 'string') return null;
  const where = typeof resource === 'string' && resource !== '' && permission.startsWith('FileSystem') ? ` on ${resource}` : '';
  const flag = PERMISSION_FLAGS[permission];
  return `Node's permission model denies ${permission}${where}${flag === undefined ? '' : ` (${flag} grants it)`}`;
}

/** A thrown value in one line: an error's name and message. */
export function describeError(e: unknown): string {
  const denial = permissionDenial(e);
  if (denial !== null) return denial;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

export const ErrorCode = {
  BadDescription: 'MSCOPE_BAD_DESCRIPTION',
  NoMatch: 'MSCOPE_NO_MATCH',
  BadBinding: 'MSCOPE_BAD_BINDING',
  BadMonitor: 'MSCOPE_BAD_MONITOR',
  BadCommand: 'MSCOPE_BAD_COMMAND',
  BadUsage: 'MSCOPE_BAD_USAGE',
  Unlinked: 'MSCOPE_UNLINKED',
  BadScript: 'MSCOPE_BAD_SCRIPT',
  /** mscope attach refused a process, or could not attach to it. */
  CannotAttach: 'MSCOPE_CANNOT_ATTACH',
  /** mscope could not write a file it needs before CMD starts (the session directory on a full disk). */
  CannotWrite: 'MSCOPE_CANNOT_WRITE',
} as const;
