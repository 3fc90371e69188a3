import { registry } from '../../core/index.js';
import { renderDiagnostics, unmatchedProbeWarnings, type CompiledProgram } from '../../lang/index.js';
import type { OutputSink } from '../../consumer/output.js';
import { ConsumerProgram } from '../../consumer/consumer-program.js';
import { onBrokenStdout } from '../../consumer/output.js';
import { enableNotices } from './matched.js';

/**
 * A program with no command runs inside mscope itself, as `dtrace -n` does: BEGIN, tick-N
 * and END, until the program calls exit() or the user presses ^C. As in DTrace, a
 * description that matches no probe here is an error: nothing could ever fire it.
 */
export function runSolo(program: CompiledProgram, out: OutputSink): Promise<number> {
  const unmatched = program.options.zdefs ? [] : unmatchedProbeWarnings(program, registry.list());
  if (unmatched.length > 0) {
    process.stderr.write(renderDiagnostics(unmatched, program.sources));
    process.stderr.write('mscope: without a command (-- CMD), only BEGIN, END and tick probes can fire\n');
    return Promise.resolve(1);
  }
  process.stderr.write(enableNotices(program, program.options.quiet));
  return new Promise((resolve) => {
    let done = false;
    // Probes that fire in mscope itself, or ^C, end a program with no ticks: keep the loop alive for them.
    const alive = setInterval(() => {}, 1 << 30);
    let status = 0;
    const finish = (code: number): void => {
      // exit(N) in END (which runs in instance.finish()) overrides the status.
      status = code;
      if (done) return;
      done = true;
      clearInterval(alive);
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      stopOnBrokenPipe();
      setImmediate(() => {
        instance.finish();
        resolve(status);
      });
    };
    const onSigint = (): void => finish(0);
    const stopOnBrokenPipe = onBrokenStdout(() => finish(141));
    const instance = ConsumerProgram.solo(program, {
      output: (text) => out.write(text),
      warn: (text) => process.stderr.write(`mscope: ${text}`),
      exit: (status) => finish(status),
    });
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    instance.start();
    if (!done && !program.clauses.some((c) => c.probes.some((p) => p.special?.kind === 'tick' || p.description !== null))) {
      // Nothing can ever fire again: a program of BEGIN and END only ends at once.
      finish(0);
    }
  });
}
