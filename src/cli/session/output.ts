import { closeSync, openSync, writeSync } from 'node:fs';

/** Where traced results go: mscope's stdout, or the file given with `-o`. */
export interface OutputSink {
  write(text: string): void;
  close(): void;
}

export function openOutput(file: string | undefined): OutputSink {
  if (file === undefined) return { write: (text) => void process.stdout.write(text), close: () => {} };
  const fd = openSync(file, 'w');
  return {
    write: (text) => void writeSync(fd, text),
    close: () => closeSync(fd),
  };
}
