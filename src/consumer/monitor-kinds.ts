import { loadMonitorFile } from '../agent/monitor-file.js';
import { compileMonitorFile } from './monitor-compile.js';
import type { MonitorSpec } from '../agent/protocol.js';
import { textConsumer, type ConsumerMonitor, type MonitorKind } from './consumer.js';
import { compileScript, decodeScript } from '../lang/script-spec.js';
import { ScriptConsumer } from './script-consumer.js';
import { BlocksConsumer } from './blocks-table.js';

/**
 * A TypeScript monitor prints from its own process; the one thing to collect is what its
 * shm or message links still held when a process exited, so that the loss is visible.
 */
function tsConsumer(): ConsumerMonitor {
  let inFlight = 0;
  return {
    delta: () => {},
    final: (_pid, data) => void (inFlight += (data as { inFlight?: number } | undefined)?.inFlight ?? 0),
    end: () => {
      if (inFlight > 0) process.stderr.write(`mscope: ${inFlight} drops (events in a shm or message binding when their process exited)\n`);
    },
  };
}

/** Monitor kinds mscope accepts; agent/loaders.ts loads the same kinds in each traced process. */
const kinds = new Map<string, MonitorKind>([
  [
    'ts',
    {
      prepare: async (s, dir, index) => {
        const file = await compileMonitorFile(s.spec, s.name, dir, index);
        // Checked here by loading it as agents will; mscope itself runs none of it.
        (await loadMonitorFile(file, s.name)).unload();
        return { ...s, spec: file };
      },
      consumer: () => tsConsumer(),
    },
  ],
  [
    'd',
    {
      prepare: async (s) => {
        compileScript(decodeScript(s.spec), (text) => process.stderr.write(text));
        return s;
      },
      consumer: (s, ctx) => new ScriptConsumer(compileScript(decodeScript(s.spec)), ctx),
      script: true,
    },
  ],
  ['acct', { prepare: async (s) => s, consumer: () => textConsumer, script: true }],
  ['blocks', { prepare: async (s) => s, consumer: (s) => BlocksConsumer.forSpec(s) }],
]);

export function monitorKind(spec: MonitorSpec): MonitorKind {
  const k = kinds.get(spec.kind);
  if (k === undefined) throw new Error(`unknown monitor kind "${spec.kind}"`);
  return k;
}
