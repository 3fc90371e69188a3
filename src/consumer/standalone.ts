import fs from 'node:fs';
import { acct } from '../accounting/index.js';
import { installThreadIdView, internalWork, registry } from '../core/index.js';
import { PrometheusExporter } from '../export/index.js';
import { compile, renderDiagnostics } from '../lang/index.js';
import { ConsumerProgram } from './consumer-program.js';
import { nodeProbeFactory } from '../modules/core-modules.js';
import { installInstrumentation } from '../modules/install.js';
import { registerProviders } from '../providers/index.js';
import type { PreloadPlan } from '../agent/preload.js';
import { preloadWarning } from '../agent/agent-env.js';
import { flushOnTerminatingSignals } from '../agent/signals.js';
import { onProcess } from '../core/process-listeners.js';
import { armedForRewrite } from '../agent/start.js';

// Taken at load: the fs and node providers must not see the program's own output.
const { openSync, writeSync } = fs;

/**
 * The preload's work when the environment asks for some: the process is its own consumer, as
 * `mscope run -e` without a command is. The program runs as `solo` (BEGIN, probes, tick-N,
 * END at exit) and prints to stderr or MSCOPE_OUTPUT, so the application's stdout stays its
 * own. Synchronous up to the Prometheus listen, so that under `--require` the rewrite is in
 * place before the main module loads. exit() ends tracing, not the process.
 */
export function startStandalone(plan: PreloadPlan): Promise<void> {
  installThreadIdView();
  registerProviders();
  registry.addFactory(nodeProbeFactory);
  const accounting = plan.promPort !== undefined;
  if (accounting) acct.enable({});
  if (plan.sources.length > 0) runProgram(plan);
  if (accounting || armedForRewrite()) installInstrumentation({});
  if (plan.promPort === undefined) return Promise.resolve();
  const prom = new PrometheusExporter(acct, { port: plan.promPort, host: '127.0.0.1' });
  return prom.listen().then(
    () => prom.unref(),
    (error: unknown) =>
      preloadWarning(`cannot serve Prometheus on 127.0.0.1:${plan.promPort}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`),
  );
}

function runProgram(plan: PreloadPlan): void {
  const r = compile(plan.sources, {});
  if (r.program === undefined) {
    process.stderr.write(renderDiagnostics(r.diagnostics, plan.sources));
    preloadWarning('the program does not compile; this process runs untraced');
    return;
  }
  const fd = plan.output === undefined ? 2 : openSync(plan.output, 'a');
  const write = (text: string): void => {
    internalWork.depth++;
    try {
      writeSync(fd, text);
    } finally {
      internalWork.depth--;
    }
  };
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    instance.finish();
  };
  const instance = ConsumerProgram.solo(r.program, {
    output: write,
    warn: (text) => write(`mscope: ${text}`),
    exit: () => setImmediate(finish),
    keepAlive: false,
  });
  onProcess('exit', finish);
  flushOnTerminatingSignals(() => {}, finish);
  instance.start();
}
