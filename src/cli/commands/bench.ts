import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unknownBinding } from '../../core/index.js';
import { MINISTAT_CONFIDENCES } from '../../stats/index.js';
import { compileScript, printingScriptErrors } from '../../lang/script-spec.js';
import { parseOwn, printUsage, splitCommand, usage } from '../args.js';
import { parseSettings, scriptSources } from '../script/sources.js';
import { MEASURE_UNITS, measureRun, type Measure, type RunSpec } from '../bench/measure.js';
import { formatMinistat, formatMinistatPlot, ministatReport } from '../bench/ministat.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  runs: { type: 'string', short: 'n' },
  confidence: { type: 'string', short: 'c' },
  measure: { type: 'string', short: 'm' },
  metric: { type: 'string' },
  warmup: { type: 'string' },
  plot: { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  program: { type: 'string', short: 'e', multiple: true },
  script: { type: 'string', short: 's', multiple: true },
  monitor: { type: 'string', multiple: true },
  binding: { type: 'string', short: 'b' },
  option: { type: 'string', short: 'x', multiple: true },
  arg: { type: 'string', multiple: true },
  modules: { type: 'string', multiple: true },
} as const;

/** The options handed on to `mscope run` as given: they say what the traced runs link. */
const TRACE_OPTIONS = ['program', 'script', 'monitor', 'binding', 'option', 'arg', 'modules'] as const;

/** ministat refuses fewer: a standard deviation from two values says too little. */
const MIN_RUNS = 3;
const MSCOPE_BIN = fileURLToPath(new URL('../../../bin/mscope.js', import.meta.url));

/** `mscope bench`: CMD plainly and under `mscope run`, interleaved, compared as ministat does. */
export function benchCommand(args: readonly string[]): Promise<number> {
  return printingScriptErrors(() => bench(args));
}

async function bench(args: readonly string[]): Promise<number> {
  const { own, command } = splitCommand(args, OPTIONS);
  const { values } = parseOwn('bench', own, OPTIONS);
  if (values.help === true) return printUsage('bench');
  if (command.length === 0) throw usage('mscope bench: missing -- CMD');
  const runs = count(values.runs ?? '10', '-n', MIN_RUNS);
  const warmup = count(values.warmup ?? '1', '--warmup', 0);
  const confidence = confidenceOf(values.confidence ?? '95');
  const measure = (values.measure ?? 'wall') as Measure;
  if (!Object.hasOwn(MEASURE_UNITS, measure)) throw usage(`mscope bench: unknown measure "${measure}"; expected wall, cpu or rss`);
  const unknown = values.binding === undefined ? null : unknownBinding(values.binding);
  if (unknown !== null) throw usage(`mscope bench: ${unknown}`);
  const metric = values.metric === undefined ? undefined : regexOf(values.metric);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw usage(`mscope bench: unknown output format "${format}"; expected text or json`);
  const sources = scriptSources(own);
  // A program that does not compile is refused before the first run, with its diagnostics.
  if (sources.length > 0) compileScript({ sources, settings: parseSettings(values.option ?? []), quiet: true, format: 'text' });

  const scratch = mkdtempSync(join(tmpdir(), 'mscope-bench-'));
  const traced = [process.execPath, MSCOPE_BIN, 'run', '-q', '-o', join(scratch, 'trace.out'), ...traceArgs(own), '--', ...command];
  const variants: readonly RunSpec[] = [
    { argv: command, measure, metric, excludeSelf: false, label: 'plain' },
    { argv: traced, measure, metric, excludeSelf: true, label: 'traced' },
  ];
  const samples: [number[], number[]] = [[], []];
  const progress = new Progress(warmup + runs);
  const stop = new AbortController();
  const onSigint = (): void => stop.abort();
  process.on('SIGINT', onSigint);
  let failure: unknown;
  try {
    for (let round = 0; round < warmup + runs && !stop.signal.aborted; round++) {
      // ABBA order, so that a drift over the runs (a warming machine, a filling cache) falls on both alike.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const v of order) {
        const value = await measureRun(variants[v]!);
        if (round >= warmup) samples[v]!.push(value);
      }
      progress.step();
    }
  } catch (error) {
    // ^C reaches the running command too: its failed run is the interruption, not a fault.
    if (!stop.signal.aborted) failure = error;
  } finally {
    process.off('SIGINT', onSigint);
    progress.done();
    rmSync(scratch, { recursive: true, force: true });
  }
  // Pairs gathered before a failure or ^C are still reported, when there are enough of them.
  const pairs = Math.min(samples[0].length, samples[1].length);
  samples[0].length = samples[1].length = pairs;
  if (pairs >= MIN_RUNS) print(samples, confidence, format, values.plot === true, metric === undefined ? measure : 'metric', command, own);
  if (failure !== undefined) throw failure;
  if (stop.signal.aborted) {
    if (pairs < MIN_RUNS) process.stderr.write(`mscope bench: interrupted after ${pairs} runs of each; ${MIN_RUNS} are needed\n`);
    return 130;
  }
  return 0;
}

function print(
  samples: [number[], number[]],
  confidence: number,
  format: string,
  plot: boolean,
  measure: Measure | 'metric',
  command: readonly string[],
  own: readonly string[],
): void {
  const report = ministatReport(samples[0], samples[1], confidence);
  if (format === 'json') {
    const c = report.comparison;
    const set = (i: 0 | 1) => ({ ...report.rows[i], values: samples[i] });
    const json = {
      measure,
      unit: measure === 'metric' ? '' : MEASURE_UNITS[measure],
      command,
      plain: set(0),
      traced: set(1),
      confidence: c.confidence,
      significant: c.significant,
      difference: c.difference,
      halfWidth: c.halfWidth,
      percent: c.percent,
      percentHalfWidth: c.percentHalfWidth,
      pooledStddev: c.pooledStddev,
    };
    process.stdout.write(JSON.stringify(json) + '\n');
    return;
  }
  const what =
    measure === 'metric' ? 'the metric' : { wall: 'wall time (s)', cpu: 'CPU time, user + system (s)', rss: 'peak RSS (MiB)' }[measure];
  process.stdout.write(`${what}, ${samples[0].length} runs each\n`);
  process.stdout.write(
    formatMinistat(
      report,
      [`plain: ${command.join(' ')}`, `traced: mscope run -q ${traceArgs(own).join(' ')}`.trimEnd()],
      plot ? formatMinistatPlot(samples, report.rows) : '',
    ),
  );
}

function traceArgs(own: readonly string[]): string[] {
  const { values } = parseOwn('bench', [...own], OPTIONS);
  const out: string[] = [];
  for (const name of TRACE_OPTIONS) {
    const v = values[name];
    for (const x of v === undefined ? [] : Array.isArray(v) ? v : [v]) out.push(`--${name}`, String(x));
  }
  return out;
}

function count(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw usage(`mscope bench: ${flag} expects a whole number of at least ${min}, got "${text}"`);
  return n;
}

function confidenceOf(text: string): number {
  const c = Number(text);
  if (!MINISTAT_CONFIDENCES.includes(c))
    throw usage(`mscope bench: -c expects one of ${MINISTAT_CONFIDENCES.join(', ')} (percent), got "${text}"`);
  return c / 100;
}

function regexOf(text: string): RegExp {
  try {
    return new RegExp(text, 'm');
  } catch (error) {
    throw usage(`mscope bench: --metric: ${(error as Error).message}`);
  }
}

/** A bar on stderr while the runs go, on a terminal only. */
class Progress {
  private done_ = 0;
  private readonly tty = process.stderr.isTTY === true;
  constructor(private readonly total: number) {
    this.draw();
  }
  step(): void {
    this.done_++;
    this.draw();
  }
  done(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }
  private draw(): void {
    if (!this.tty) return;
    const width = 30;
    const filled = Math.round((this.done_ / this.total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${this.done_}/${this.total} rounds`);
  }
}
