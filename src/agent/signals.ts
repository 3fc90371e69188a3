import { onProcess, programListens } from '../core/process-listeners.js';

const TERMINATING = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Tells mscope at once that a terminating signal arrived (`seen`: the process is not stuck
 * in JavaScript, so mscope need not kill it), then, when the application does not handle
 * the signal, runs `flush` and re-raises it with the default disposition so the process
 * dies as it would have. When the application has its own listener, it decides; `exit`
 * handlers flush then. The program does not see these listeners (`onProcess`). Returns their
 * removal (a detach).
 */
export function flushOnTerminatingSignals(seen: (signal: NodeJS.Signals) => void, flush: () => void): () => void {
  const removals = TERMINATING.map((signal) => {
    const onSignal = (): void => {
      seen(signal);
      if (programListens(signal)) return;
      flush();
      remove();
      process.kill(process.pid, signal);
    };
    const remove = onProcess(signal, onSignal);
    return remove;
  });
  return () => {
    for (const remove of removals) remove();
  };
}
