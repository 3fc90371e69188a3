import { ProgramInstance, type CompiledProgram } from '../../lang/index.js';
import type { OutputSink } from '../session/output.js';

/**
 * A program with no command runs inside mscope itself, as `dtrace -n` does: BEGIN, tick-N
 * and END, until the program calls exit() or the user presses ^C.
 */
export function runSolo(program: CompiledProgram, out: OutputSink): Promise<number> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number): void => {
      if (done) return;
      done = true;
      process.off('SIGINT', onSigint);
      setImmediate(() => {
        instance.finish();
        resolve(status);
      });
    };
    const onSigint = (): void => finish(0);
    const instance = new ProgramInstance(program, 'solo', {
      output: (text) => out.write(text),
      warn: (text) => process.stderr.write(`mscope: ${text}`),
      exit: (status) => finish(status),
    });
    process.on('SIGINT', onSigint);
    instance.start();
    if (!done && !program.clauses.some((c) => c.probes.some((p) => p.special?.kind === 'tick' || p.description !== null))) {
      // Nothing can ever fire again: a program of BEGIN and END only ends at once.
      finish(0);
    }
  });
}
