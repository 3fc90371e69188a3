/** Every user-facing error carries a stable `code` and prints as one line. */
export class MscopeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'MscopeError';
  }
}

/** A thrown value in one line: an error's name and message. */
export function describeError(e: unknown): string {
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
