import { closeSync, openSync, writeSync } from 'node:fs';
import { ErrorCode, MscopeError } from '../../core/index.js';

/** Where traced results go: mscope's stdout, or the file given with `-o`. */
export interface OutputSink {
  write(text: string): void;
  close(): void;
}

export function openOutput(file: string | undefined): OutputSink {
  if (file === undefined) return { write: (text) => void process.stdout.write(text), close: () => {} };
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (error) {
    throw new MscopeError(ErrorCode.BadUsage, `mscope: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return {
    write: (text) => void writeSync(fd, text),
    close: () => closeSync(fd),
  };
}
