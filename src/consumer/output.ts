import { closeSync, openSync, writeSync } from 'node:fs';
import { ErrorCode, MscopeError } from '../core/index.js';

/** Where traced results go: mscope's stdout, or the file given with `-o`. */
export interface OutputSink {
  write(text: string): void;
  close(): void;
  /** A write to the `-o` file failed (what followed went to stdout): the command then exits non-zero. */
  readonly failed: boolean;
}

const brokenPipeListeners: Array<() => void> = [];
let stdoutBroken = false;

/**
 * A reader that went away (`mscope run … | head -1`) is an `EPIPE` error on stdout, which
 * Node throws unless handled: mscope stops writing, and the listeners end CMD as a SIGPIPE
 * would. A broken stderr is ignored the same way. Other write errors are reported once.
 */
function watchStdio(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (stdoutBroken) return;
    stdoutBroken = true;
    if (error.code !== 'EPIPE') process.stderr.write(`mscope: cannot write to stdout: ${error.code ?? error.message}\n`);
    for (const l of brokenPipeListeners.splice(0)) l();
  });
  process.stderr.on('error', () => {});
}
watchStdio();

/** Runs `listener` once if stdout's reader goes away; returns the removal. */
export function onBrokenStdout(listener: () => void): () => void {
  if (stdoutBroken) {
    listener();
    return () => {};
  }
  brokenPipeListeners.push(listener);
  return () => {
    const i = brokenPipeListeners.indexOf(listener);
    if (i >= 0) brokenPipeListeners.splice(i, 1);
  };
}

function writeStdout(data: string | Uint8Array): void {
  if (!stdoutBroken) process.stdout.write(data);
}

const stdoutSink: OutputSink = {
  write: writeStdout,
  close: () => {},
  failed: false,
};

/**
 * `-o FILE`, opened for appending before CMD starts. A write that fails later (a full disk)
 * is reported in one line, what follows goes to stdout rather than being lost, and the sink
 * says it failed.
 */
export function openOutput(file: string | undefined): OutputSink {
  if (file === undefined) return stdoutSink;
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (error) {
    throw new MscopeError(ErrorCode.BadUsage, `mscope: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const sink = {
    failed: false,
    write: (text: string) => {
      if (sink.failed) return writeStdout(text);
      const data = Buffer.from(text);
      let off = 0;
      try {
        while (off < data.length) off += writeSync(fd, data, off);
      } catch (error) {
        sink.failed = true;
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        process.stderr.write(`mscope: cannot write ${file}: ${code}; the rest of the output goes to stdout\n`);
        // From the first byte the file did not take: the file and stdout together hold the output once.
        writeStdout(data.subarray(off));
      }
    },
    close: () => closeSync(fd),
  };
  return sink;
}

/**
 * A command's exit status once its output went to `out`: a success becomes 1 when its `-o` file
 * failed, or when `failed` says what it traced did not all get out (trace()'s `failed`).
 */
export function failedOutput(status: number, out: OutputSink, failed = false): number {
  return status === 0 && (failed || out.failed) ? 1 : status;
}
