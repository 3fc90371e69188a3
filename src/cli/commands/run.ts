import { resolve } from 'node:path';
import { BINDING_KINDS, compileGlob, type BindingKind } from '../../core/index.js';
import { parseOwn, pidOf, printUsage, splitCommand, usage } from '../args.js';
import type { AgentMessage, MonitorSpec } from '../../agent/protocol.js';
import { openOutput } from '../../consumer/output.js';
import { trace } from '../../consumer/trace.js';
import { CommandTarget } from '../../consumer/command-target.js';
import { compileScript, encodeScript, printingScriptErrors, type ScriptSpec } from '../../lang/script-spec.js';
import { processMacroVars } from '../../lang/macros.js';
import { parseSettings, scriptSources } from '../script/sources.js';
import { otlpFromEnv } from '../../export/otlp.js';
import type { AcctOptions } from '../../accounting/index.js';
import type { AccountingConsumer, AccountingSinks } from '../../consumer/acct-consumer.js';
import type { Explorer, TracedProcesses } from '../../ui/index.js';
import type { JsonAggregation } from '../../aggregate/index.js';
import type { FunctionMetrics } from '../../consumer/function-metrics.js';
import { functionsProgram } from '../script/functions-program.js';

/** The page of `--explore`, and the processes whose links it shows. */
type LiveExplorer = Explorer & { processes: TracedProcesses; live: { consumers: ReadonlyMap<string, ConsumerMonitor> } };
import type { ConsumerMonitor } from '../../consumer/consumer.js';
import { runsInAgents, type CompiledProgram } from '../../lang/index.js';
import { shipProgram } from '../../lang/shipped.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  monitor: { type: 'string', multiple: true },
  program: { type: 'string', short: 'e', multiple: true },
  script: { type: 'string', short: 's', multiple: true },
  option: { type: 'string', short: 'x', multiple: true },
  arg: { type: 'string', multiple: true },
  format: { type: 'string', short: 'f' },
  destructive: { type: 'boolean', short: 'w' },
  quiet: { type: 'boolean', short: 'q' },
  zdefs: { type: 'boolean', short: 'Z' },
  flowindent: { type: 'boolean', short: 'F' },
  output: { type: 'string', short: 'o' },
  binding: { type: 'string', short: 'b' },
  modules: { type: 'string', multiple: true },
  acct: { type: 'boolean' },
  store: { type: 'string' },
  prom: { type: 'string' },
  otlp: { type: 'string' },
  explore: { type: 'boolean' },
  functions: { type: 'string', multiple: true },
  pid: { type: 'string', short: 'p' },
} as const;

/** `mscope attach PID …` takes run's options but -p, and accounting, which needs the load-time rewrite. */
const { pid: _pid, ...ATTACH_OPTIONS } = OPTIONS;
const NOT_WITH_ATTACH = ['acct', 'store', 'prom', 'otlp', 'explore', 'modules'] as const;

const DEFAULT_STORE = 'mscope.db';

/** `mscope run`: like `dtrace -c`, exits with CMD's status; with no CMD, like `dtrace -n`; with -p PID, like `dtrace -p`. */
export function runCommand(args: readonly string[]): Promise<number> {
  return printingScriptErrors(() => {
    const { own, command } = splitCommand(args, OPTIONS);
    const { values } = parseOwn('run', own, OPTIONS);
    if (values.help === true) return Promise.resolve(printUsage('run'));
    if (values.pid !== undefined && command.length > 0) throw usage('mscope run: -p PID and -- CMD exclude each other');
    return run('run', own, values, command);
  });
}

/** `mscope attach PID`: `mscope run -p PID`. */
export function attachCommand(args: readonly string[]): Promise<number> {
  return printingScriptErrors(() => {
    const { values, positionals } = parseOwn('attach', [...args], ATTACH_OPTIONS, true);
    if (values.help === true) return Promise.resolve(printUsage('attach'));
    if (positionals.length !== 1) throw usage('mscope attach: expected one PID');
    return run('attach', args, { ...values, pid: positionals[0] }, []);
  });
}

type RunValues = ReturnType<typeof parseOwn<typeof OPTIONS>>['values'];

async function run(name: string, own: readonly string[], values: RunValues, command: readonly string[]): Promise<number> {
  const pid = values.pid === undefined ? undefined : pidOf(name, values.pid);
  if (pid !== undefined) {
    for (const o of NOT_WITH_ATTACH)
      if (values[o] !== undefined) throw usage(`mscope ${name}: --${o} is not available with attach (it needs the load-time rewrite)`);
  }
  const binding = values.binding;
  if (binding !== undefined && !BINDING_KINDS.includes(binding as BindingKind)) {
    throw usage(`mscope ${name}: unknown binding "${binding}"; expected one of ${BINDING_KINDS.join(', ')}`);
  }
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
  if (explore && command.length === 0 && pid === undefined) throw usage(`mscope ${name}: --explore needs -- CMD`);
  if (values.functions !== undefined && !explore) throw usage(`mscope ${name}: --functions is a view of --explore; give both`);
  const accounting =
    explore ||
    values.acct === true ||
    values.store !== undefined ||
    values.prom !== undefined ||
    otlp !== undefined ||
    (program !== null && usesAcct(program));
  if (accounting && pid !== undefined) throw usage(`mscope ${name}: the program uses accounting, which is not available with attach`);
  if (accounting && command.length > 0) {
    // Only an explicit --acct (or --store) writes a store by default; accounting a program turned on by itself writes no file.
    const store = values.store ?? (values.acct === true ? undefined : 'none');
    const sinks = { ...accountingSinks(store, values.prom), ...(otlp === undefined ? {} : { otlp }), quiet, command: command.join(' ') };
    // Spans continue the requests' traces: only then does each HTTP activity read its traceparent.
    const options: AcctOptions = otlp?.spans === true ? { traceparent: true } : {};
    monitors.unshift({ kind: 'acct', name: 'accounting', spec: JSON.stringify(options) });
    // The store, Prometheus and OTLP exporters load only for a run that accounts.
    const { AccountingConsumer } = await import('../../consumer/acct-consumer.js');
    const acct = await AccountingConsumer.open(sinks);
    consumers.set('accounting', acct);
    if (explore) {
      let functions: FunctionMetrics | undefined;
      if (values.functions !== undefined) {
        const { program: fnProgram, spec } = functionsProgram(`mscope ${name}: --functions`, values.functions);
        const { FunctionMetrics } = await import('../../consumer/function-metrics.js');
        functions = new FunctionMetrics(fnProgram);
        monitors.push({ kind: 'd', name: 'functions', spec });
        consumers.set('functions', functions);
      }
      try {
        explorer = await startLiveExplorer(acct, command.join(' '), functions);
      } catch (error) {
        await acct.end(openOutput(undefined));
        throw error;
      }
    }
  }
  if (script !== null) {
    const agents = runsInAgents(program!);
    const spec = encodeScript(agents ? { ...script, compiled: shipProgram(program!) } : script);
    monitors.push({ kind: 'd', name: 'script', spec, ...(agents ? {} : { consumerOnly: true }) });
  }
  if (pid === undefined && command.length === 0 && (script === null || (values.monitor ?? []).length > 0))
    throw usage('mscope run: missing -- CMD');
  if (pid !== undefined && monitors.length === 0) throw usage(`mscope ${name}: nothing to trace: give -e, -s or --monitor`);
  // Refusals (no such process, not Node, another user's) come before the output file is opened.
  const target =
    pid === undefined ? new CommandTarget(command, cwd) : new (await import('../../attach/attach-target.js')).AttachTarget(pid);
  let out: ReturnType<typeof openOutput>;
  try {
    out = openOutput(values.output);
  } catch (error) {
    await consumers.get('accounting')?.end(openOutput(undefined));
    await explorer?.close();
    throw error;
  }
  try {
    if (command.length === 0 && pid === undefined) return await (await import('../script/solo.js')).runSolo(program!, out);
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
      options: {
        root: target.root,
        ...(binding === undefined ? {} : { binding: binding as BindingKind }),
        ...(values.modules ? { modules: values.modules } : {}),
      },
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
    if (explorer !== undefined) await servingUntilStopped(explorer, command.join(' '), result.status);
    return result.failed && result.status === 0 ? 1 : result.status;
  } finally {
    target.dispose();
    out.close();
    await explorer?.close();
  }
}

/** The Latency Explorer over the run's activities as they arrive; serving starts before CMD, so a failure is one line and CMD never runs. */
async function startLiveExplorer(acct: AccountingConsumer, command: string, functions: FunctionMetrics | undefined): Promise<LiveExplorer> {
  const { LiveExploreData, TracedProcesses, startExplorer, functionsView } = await import('../../ui/index.js');
  const data = new LiveExploreData(`live: ${command}`);
  acct.onRecord((r) => data.add(r));
  const processes = new TracedProcesses();
  const live: LiveExplorer['live'] = { consumers: new Map() };
  const aggregations = (): JsonAggregation[] => [...live.consumers.values()].flatMap((c) => c.aggregations?.() ?? []);
  const explorer = {
    ...(await startExplorer(data, {
      processes,
      aggregations,
      ...(functions === undefined ? {} : { functions: functionsView(functions) }),
    })),
    processes,
    live,
  };
  process.stderr.write(`mscope: Latency Explorer: open ${explorer.url}\n`);
  return explorer;
}

/** Every traced process that says hello is listed on the page. */
function seenBy(processes: TracedProcesses): (pid: number, m: AgentMessage) => void {
  return (pid, m) => {
    if (m.t === 'hello') processes.add(pid, m.argv);
  };
}

/** After CMD ends the page stays up, over every activity the run recorded, until ^C. */
async function servingUntilStopped(explorer: LiveExplorer, command: string, status: number): Promise<void> {
  process.stderr.write(`mscope: ${command} exited with status ${status}; the Latency Explorer still serves ${explorer.url} (^C stops)\n`);
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
