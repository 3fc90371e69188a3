import { resolve } from 'node:path';
import { compileGlob, unknownBinding, type BindingKind } from '../../core/index.js';
import { parseOwn, pidOf, printUsage, splitCommand, usage } from '../args.js';
import { ATTACH_OPTIONS, NOT_WITH_ATTACH, RUN_OPTIONS as OPTIONS, agentOptionsOf } from './run-options.js';
import type { AgentMessage, MonitorSpec } from '../../agent/protocol.js';
import { failedOutput, openOutput } from '../../consumer/output.js';
import { trace } from '../../consumer/trace.js';
import { CommandTarget } from '../../consumer/command-target.js';
import { compileScript, encodeScript, printingScriptErrors, type ScriptSpec } from '../../lang/script-spec.js';
import { processMacroVars } from '../../lang/macros.js';
import { parseSettings, scriptSources } from '../script/sources.js';
import { otlpFromEnv } from '../../export/otlp.js';
import type { AcctOptions } from '../../accounting/index.js';
import type { AccountingConsumer, AccountingSinks } from '../../consumer/acct-consumer.js';
import type { Explorer, LiveExploreData, TracedProcesses } from '../../ui/index.js';
import type { JsonAggregation } from '../../aggregate/index.js';
import type { FunctionMetrics } from '../../consumer/function-metrics.js';
import { functionsProgram } from '../script/functions-program.js';

/** The page of `--explore`, and the processes whose links it shows. */
type LiveExplorer = Explorer & {
  data: LiveExploreData;
  processes: TracedProcesses;
  live: { consumers: ReadonlyMap<string, ConsumerMonitor> };
};
import type { ConsumerMonitor } from '../../consumer/consumer.js';
import { runsInAgents, type CompiledProgram } from '../../lang/index.js';
import { shipProgram } from '../../lang/shipped.js';
import type { AttachTarget } from '../../attach/attach-target.js';

const DEFAULT_STORE = 'mscope.db';

/** Started before compiling by run-start.ts: a held CMD, or a process attached to early. */
type HeldTarget = CommandTarget | AttachTarget;

/** `mscope run`: like `dtrace -c`, exits with CMD's status; with no CMD, like `dtrace -n`; with -p PID, like `dtrace -p`. */
export function runCommand(args: readonly string[], held: HeldTarget | null = null): Promise<number> {
  return printingScriptErrors(() => {
    const { own, command } = splitCommand(args, OPTIONS);
    const { values } = parseOwn('run', own, OPTIONS);
    if (values.help === true) return Promise.resolve(printUsage('run'));
    if (values.pid !== undefined && command.length > 0) throw usage('mscope run: -p PID and -- CMD exclude each other');
    return run('run', own, values, command, held);
  });
}

/** `mscope attach PID`: `mscope run -p PID`; `held`, the process attached to before compiling (run-start.ts). */
export function attachCommand(args: readonly string[], held: AttachTarget | null = null): Promise<number> {
  return attachAs('attach', args, {}, held);
}

/** `mscope explore PID`: `mscope attach --explore PID`, its help and messages named explore. */
export function explorePidCommand(args: readonly string[]): Promise<number> {
  return attachAs('explore', args, { explore: true });
}

function attachAs(name: string, args: readonly string[], forced: Partial<RunValues>, held: AttachTarget | null = null): Promise<number> {
  return printingScriptErrors(() => {
    const { values, positionals } = parseOwn(name, [...args], ATTACH_OPTIONS, true);
    if (values.help === true) return Promise.resolve(printUsage(name));
    if (positionals.length !== 1) throw usage(`mscope ${name}: expected one PID`);
    return run(name, args, { ...values, ...forced, pid: positionals[0] }, [], held);
  });
}

type RunValues = ReturnType<typeof parseOwn<typeof OPTIONS>>['values'];

async function run(
  name: string,
  own: readonly string[],
  values: RunValues,
  command: readonly string[],
  held: HeldTarget | null = null,
): Promise<number> {
  const pid = values.pid === undefined ? undefined : pidOf(name, values.pid);
  if (pid !== undefined) {
    for (const o of NOT_WITH_ATTACH)
      if (values[o] !== undefined) throw usage(`mscope ${name}: --${o} is not available with attach (it needs the load-time rewrite)`);
  }
  const binding = values.binding;
  const unknown = binding === undefined ? null : unknownBinding(binding);
  if (unknown !== null) throw usage(`mscope ${name}: ${unknown}`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw usage(`mscope ${name}: unknown output format "${format}"; expected text or json`);
  const cwd = process.cwd();
  const quiet = values.quiet === true;
  const sources = scriptSources(own);
  const script: ScriptSpec | null =
    sources.length === 0
      ? null
      : {
          sources,
          settings: [
            ...parseSettings(values.option ?? []),
            ...(values.zdefs === true ? [['zdefs', '1'] as [string, string]] : []),
            ...(values.flowindent === true ? [['flowindent', '1'] as [string, string]] : []),
          ],
          quiet,
          format,
          args: values.arg ?? [],
          macroVars: processMacroVars(),
          ...(binding === undefined ? {} : { binding: binding as BindingKind }),
        };
  const monitors: MonitorSpec[] = (values.monitor ?? []).map((file) => ({ kind: 'ts', name: file, spec: resolve(cwd, file) }));
  const program = script === null ? null : compileScript(script, (t) => process.stderr.write(t));
  const consumers = new Map<string, ConsumerMonitor>();
  let explorer: LiveExplorer | undefined;
  const otlp = otlpSinks(values.otlp);
  const explore = values.explore === true;
  if (explore && command.length === 0 && pid === undefined) throw usage(`mscope ${name}: --explore needs -- CMD or -p PID`);
  if (values.functions !== undefined && !explore) throw usage(`mscope ${name}: --functions is a view of --explore; give both`);
  if (values.port !== undefined && !explore) throw usage(`mscope ${name}: --port is the Latency Explorer's; give --explore`);
  const port = values.port === undefined ? 0 : portOf(name, values.port);
  const accounting =
    explore ||
    values.acct === true ||
    values.store !== undefined ||
    values.prom !== undefined ||
    otlp !== undefined ||
    (program !== null && usesAcct(program));
  if (pid !== undefined && monitors.length === 0 && script === null && !accounting)
    throw usage(`mscope ${name}: nothing to trace: give -e, -s or --monitor`);
  // Refusals for PID (no such process, not Node, another user's) come before a store is written or a page served.
  const attached =
    pid === undefined
      ? undefined
      : held !== null && !(held instanceof CommandTarget) && held.pid === pid
        ? held
        : new (await import('../../attach/attach-target.js')).AttachTarget(pid);
  // What the store's rows and the page call the traced program.
  const what = attached === undefined ? command.join(' ') : attached.command;
  if (accounting && (command.length > 0 || attached !== undefined)) {
    // Only an explicit --acct (or --store) writes a store by default; accounting a program turned on by itself writes no file.
    const store = values.store ?? (values.acct === true ? undefined : 'none');
    const sinks = { ...accountingSinks(store, values.prom), ...(otlp === undefined ? {} : { otlp }), quiet, command: what };
    // Spans continue the requests' traces: only then does each HTTP activity read its traceparent.
    const options: AcctOptions = otlp?.spans === true ? { traceparent: true } : {};
    monitors.unshift({ kind: 'acct', name: 'accounting', spec: JSON.stringify(options) });
    let functions: FunctionMetrics | undefined;
    if (explore && values.functions !== undefined) {
      const { program: fnProgram, spec } = functionsProgram(`mscope ${name}: --functions`, values.functions);
      const { FunctionMetrics } = await import('../../consumer/function-metrics.js');
      functions = new FunctionMetrics(fnProgram);
      monitors.push({ kind: 'd', name: 'functions', spec });
      consumers.set('functions', functions);
    }
    // The page first: a port in use is refused before the store gets a run.
    if (explore) explorer = await startLiveExplorer(what, functions, port);
    // The store, Prometheus and OTLP exporters load only for a run that accounts.
    const { AccountingConsumer } = await import('../../consumer/acct-consumer.js');
    let acct: AccountingConsumer;
    try {
      acct = await AccountingConsumer.open(sinks);
    } catch (error) {
      await explorer?.close();
      throw error;
    }
    consumers.set('accounting', acct);
    if (explorer !== undefined) {
      const data = explorer.data;
      acct.onRecord((r) => data.add(r));
      process.stderr.write(`mscope: Latency Explorer: open ${explorer.url}\n`);
    }
  }
  if (script !== null) {
    const agents = runsInAgents(program!);
    const spec = encodeScript(agents ? { ...script, compiled: shipProgram(program!) } : script);
    monitors.push({ kind: 'd', name: 'script', spec, ...(agents ? {} : { consumerOnly: true }) });
  }
  if (pid === undefined && command.length === 0 && (script === null || (values.monitor ?? []).length > 0))
    throw usage('mscope run: missing -- CMD');
  const target = attached ?? (held instanceof CommandTarget ? held : null) ?? new CommandTarget(command, cwd);
  let out: ReturnType<typeof openOutput>;
  try {
    out = openOutput(values.output);
  } catch (error) {
    await consumers.get('accounting')?.end(openOutput(undefined));
    await explorer?.close();
    throw error;
  }
  // ^C ends an attach: the page goes with it. Only a process that ends by itself leaves the page serving, as CMD's end does.
  const stopped = attached !== undefined && explorer !== undefined ? stopSignals() : null;
  try {
    if (command.length === 0 && pid === undefined)
      return failedOutput(await (await import('../script/solo.js')).runSolo(program!, out), out);
    if (program !== null) {
      // As dtrace(1M) does once the program is enabled: before BEGIN runs and CMD starts; attached,
      // with what the process's descriptions matched, once its agent says.
      const { enableNotices, registerKnownProbes } = await import('../script/matched.js');
      await registerKnownProbes(program);
      const silent = quiet || program.options.quiet;
      if (target instanceof CommandTarget) process.stderr.write(enableNotices(program, silent));
      else target.notices = (matched) => enableNotices(program, silent, matched);
    }
    const result = await trace({
      target,
      monitors,
      options: agentOptionsOf(values, target.root),
      out,
      quiet,
      consumers,
      ...(explorer === undefined
        ? {}
        : {
            onMessage: seenBy(explorer.processes),
            onConsumers: (c: ReadonlyMap<string, ConsumerMonitor>) => (explorer!.live.consumers = c),
          }),
    }).catch(async (error: unknown) => {
      // A monitor that failed its check before CMD started: the exporters must not keep mscope alive.
      await consumers.get('accounting')?.end(out);
      throw error;
    });
    if (explorer !== undefined && stopped?.signalled !== true) {
      stopped?.dispose();
      const ended = attached === undefined ? `${what} exited with status ${result.status}` : `tracing of process ${pid} has ended`;
      await servingUntilStopped(explorer, ended);
    }
    return failedOutput(result.status, out, result.failed);
  } finally {
    stopped?.dispose();
    target.dispose();
    out.close();
    await explorer?.close();
  }
}

/** The Latency Explorer over the run's activities as they arrive; serving starts before CMD, so a failure is one line and CMD never runs. */
async function startLiveExplorer(command: string, functions: FunctionMetrics | undefined, port: number): Promise<LiveExplorer> {
  const { LiveExploreData, TracedProcesses, startExplorer, functionsView } = await import('../../ui/index.js');
  const data = new LiveExploreData(`live: ${command}`);
  const processes = new TracedProcesses();
  const live: LiveExplorer['live'] = { consumers: new Map() };
  const aggregations = (): JsonAggregation[] => [...live.consumers.values()].flatMap((c) => c.aggregations?.() ?? []);
  return {
    ...(await startExplorer(data, {
      port,
      processes,
      aggregations,
      ...(functions === undefined ? {} : { functions: functionsView(functions) }),
    })),
    data,
    processes,
    live,
  };
}

/** Every traced process that says hello is listed on the page. */
function seenBy(processes: TracedProcesses): (pid: number, m: AgentMessage) => void {
  return (pid, m) => {
    if (m.t === 'hello') processes.add(pid, m.argv);
  };
}

/** Whether a stop signal came: the attach target detaches on it, and this says it was asked for. */
function stopSignals(): { signalled: boolean; dispose(): void } {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const state = {
    signalled: false,
    dispose: () => {
      for (const s of signals) process.removeListener(s, mark);
    },
  };
  const mark = (): void => void (state.signalled = true);
  for (const s of signals) process.on(s, mark);
  return state;
}

/** After CMD ends (or an attached process, or its tracing) the page stays up, over every activity recorded, until ^C. */
async function servingUntilStopped(explorer: LiveExplorer, ended: string): Promise<void> {
  process.stderr.write(`mscope: ${ended}; the Latency Explorer still serves ${explorer.url} (^C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** A program with `acct` clauses, or that reads `activity`, turns accounting on in every traced process. */
function usesAcct(program: CompiledProgram): boolean {
  if (program.sources.some((s) => /\bactivity\b/.test(s.text))) return true;
  return program.clauses.some((c) =>
    c.probes.some((p) => p.description !== null && p.description.provider !== '' && compileGlob(p.description.provider)('acct')),
  );
}

function portOf(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw usage(`mscope ${name}: --port expects a port number, got "${text}"`);
  return n;
}

function accountingSinks(store: string | undefined, prom: string | undefined): AccountingSinks {
  let promPort: number | undefined;
  if (prom !== undefined) {
    promPort = Number(prom);
    if (!Number.isInteger(promPort) || promPort < 0 || promPort > 65535)
      throw usage(`mscope run: --prom expects a port number, got "${prom}"`);
  }
  if (store === '') throw usage('mscope run: --store expects a file name, got an empty one');
  return {
    store: store === 'none' ? null : (store ?? DEFAULT_STORE),
    ...(promPort === undefined ? {} : { promPort }),
  };
}

/** OTLP export, from `--otlp URL` (spans and metrics) or the standard OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER. */
function otlpSinks(url: string | undefined): AccountingSinks['otlp'] {
  if (url !== undefined) {
    if (!/^https?:\/\//.test(url)) throw usage(`mscope run: --otlp expects an http(s) URL, got "${url}"`);
    return { url, spans: true, metrics: true };
  }
  const env = otlpFromEnv();
  return env.spans || env.metrics ? env : undefined;
}
