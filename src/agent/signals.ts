const TERMINATING = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Tells mscope at once that a terminating signal arrived (`seen`: the process is not stuck
 * in JavaScript, so mscope need not kill it), then, when the application does not handle
 * the signal, runs `flush` and re-raises it with the default disposition so the process
 * dies as it would have. When the application has its own listener, it decides; `exit`
 * handlers flush then. Returns the removal of the listeners (a detach).
 */
export function flushOnTerminatingSignals(seen: (signal: NodeJS.Signals) => void, flush: () => void): () => void {
  const listeners = TERMINATING.map((signal) => {
    const onSignal = (): void => {
      seen(signal);
      if (process.listenerCount(signal) > 1) return;
      flush();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
    return { signal, onSignal };
  });
  return () => {
    for (const l of listeners) process.removeListener(l.signal, l.onSignal);
  };
}
