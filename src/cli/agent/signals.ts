const TERMINATING = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `flush` when a terminating signal arrives that the application does not handle,
 * then re-raises it with the default disposition so the process dies as it would have.
 * When the application has its own listener, it decides; `exit` handlers flush then.
 */
export function flushOnTerminatingSignals(flush: () => void): void {
  for (const signal of TERMINATING) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      flush();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
