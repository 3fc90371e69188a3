import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import type { AgentOptions } from './protocol.js';
import { Agent } from './agent.js';
import { AgentChannel } from './channel.js';
import { flushOnTerminatingSignals } from './signals.js';
import { onProcess } from '../core/process-listeners.js';

const FLUSH_INTERVAL_MS = 50;

/** An agent reporting to mscope: its channel, its flushes, and its final report at exit or at a terminating signal. */
export interface Reporting {
  readonly agent: Agent;
  readonly channel: AgentChannel;
  /** Final reports sent, every listener and timer of the reporting removed, the channel closed. */
  stop(): void;
}

/** Opens this process's (or thread's) channel in `session`, says hello, and flushes every 50 ms and at the end. */
export function startReporting(session: string, options: AgentOptions): Reporting {
  // A worker thread reports on its own channel; mscope merges its aggregations like a process's.
  const channel = new AgentChannel(join(session, `${process.pid}${isMainThread ? '' : `-${threadId}`}.ndjson`));
  const agent = new Agent(channel, options);
  agent.hello();
  const finish = (): void => agent.finish();
  const stopExit = onProcess('exit', finish);
  const stopSignals = isMainThread
    ? flushOnTerminatingSignals(
        (signal) => agent.signalled(signal),
        () => agent.finish(),
      )
    : () => {};
  const flusher = setInterval(() => agent.flush(), FLUSH_INTERVAL_MS).unref();
  return {
    agent,
    channel,
    stop: () => {
      agent.finish();
      clearInterval(flusher);
      stopExit();
      stopSignals();
      channel.close();
    },
  };
}
