import {
  DTRACE_PROBE_IDS,
  ErrorCode,
  FIRST_PROBE_ID,
  MscopeError,
  ProbeDescription,
  registry,
  type ProbeName,
  type SkippedFunction,
} from '../../core/index.js';
import { registerProviders } from '../../providers/index.js';
import { registerAllCoreModules } from '../../modules/core-modules.js';
import { compileScript, printingScriptErrors } from '../../lang/script-spec.js';
import { scriptSources } from '../script/sources.js';
import type { Source } from '../../lang/index.js';
import { parseOwn, printUsage, splitCommand, usage } from '../args.js';
import { formatProbeTable, formatSkippedTable } from '../probe-table.js';
import type { ProbeRow } from '../../agent/protocol.js';
import { trace } from '../../consumer/trace.js';
import { CommandTarget } from '../../consumer/command-target.js';
import { openOutput } from '../../consumer/output.js';
import { tickName } from '../../consumer/consumer-program.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  program: { type: 'string', short: 'e', multiple: true },
  script: { type: 'string', short: 's', multiple: true },
  skipped: { type: 'boolean' },
  modules: { type: 'string', multiple: true },
} as const;

/** The dtrace provider's probes, first in every list as in `dtrace -l`: every D program has them. */
const DTRACE_ROWS: readonly ProbeRow[] = Object.entries(DTRACE_PROBE_IDS).map(([name, id]): ProbeRow => [id, 'dtrace', '', '', name]);

/** `mscope list [PATTERN] -- CMD`: the probes of every process CMD started, merged by name. */
export function listCommand(args: readonly string[]): Promise<number> {
  return printingScriptErrors(() => list(args));
}

async function list(args: readonly string[]): Promise<number> {
  const { own, command } = splitCommand(args, OPTIONS, true);
  const { values, positionals } = parseOwn('list', own, OPTIONS, true);
  if (values.help === true) return printUsage('list');
  if (positionals.length > 1) throw usage(`mscope list: expected one PATTERN, got ${positionals.length}`);
  const pattern = positionals[0];
  let description: ProbeDescription | undefined;
  try {
    description = pattern === undefined ? undefined : ProbeDescription.parse(pattern);
  } catch (error) {
    throw usage(`mscope list: ${(error as Error).message}`);
  }
  const sources = scriptSources(own);
  const program = sources.length === 0 ? undefined : programProbes(sources);
  const selected = program?.descriptions;
  const ticks = program?.ticks ?? [];
  const matches = (name: ProbeName): boolean =>
    (description === undefined || description.matches(name)) && (selected === undefined || selected.some((d) => d.matches(name)));
  if (command.length === 0) return listHere(matches, pattern ?? sources.map((s) => s.file).join(' '), ticks);
  const probes = new Map<string, ProbeRow>();
  const skipped = new Map<string, SkippedFunction>();
  const cwd = process.cwd();
  const out = openOutput(undefined);
  const result = await trace({
    target: new CommandTarget(command, cwd),
    monitors: [],
    options: { root: cwd, list: true, skipped: values.skipped === true, ...(values.modules ? { modules: values.modules } : {}) },
    out,
    quiet: true,
    onMessage: (_pid, m) => {
      if (m.t === 'probes') {
        for (const [, ...name] of m.probes) {
          const key = name.join('\0');
          // Ids are renumbered over the merged list; with one process they equal its own.
          if (!probes.has(key)) probes.set(key, [probes.size + FIRST_PROBE_ID, ...name]);
        }
      } else if (m.t === 'skipped') {
        for (const s of m.skipped) skipped.set(`${s.provider}\0${s.module}\0${s.func}\0${s.reason}`, s);
      }
    },
  });
  if (result.processes === 0) {
    throw new MscopeError(ErrorCode.NoMatch, 'mscope list: no Node.js process started by the command reported back');
  }
  if (values.skipped === true) {
    // A skipped function has no probes, so the name field of PATTERN does not apply.
    const d = description === undefined ? undefined : new ProbeDescription({ ...description, name: '' }, description.text);
    const rows = [...skipped.values()].filter((s) => d === undefined || d.matches({ ...s, name: '' }));
    if (rows.length > 0) process.stdout.write(formatSkippedTable(rows));
    else process.stderr.write('mscope: no functions were skipped\n');
    return result.status;
  }
  const rows = withTicks([...DTRACE_ROWS, ...probes.values()], ticks).filter((r) =>
    matches({ provider: r[1], module: r[2], func: r[3], name: r[4] }),
  );
  if (rows.length === 0) {
    const what = pattern === undefined ? 'no probes exist' : `no probes match ${pattern}`;
    process.stderr.write(`mscope: ${what}\n`);
    return result.status === 0 ? 1 : result.status;
  }
  process.stdout.write(formatProbeTable(rows));
  return result.status;
}

/**
 * The descriptions of a program's clauses (`mscope list -e PROGRAM`): its probe clauses,
 * `dtrace:::BEGIN`, `END`, `ERROR` for the ones it uses, as `dtrace -l -n BEGIN` lists them,
 * and `profile:::tick-N` for its ticks (`ticks`, by name), which only the program creates.
 */
function programProbes(sources: Source[]): { descriptions: ProbeDescription[]; ticks: string[] } {
  const program = compileScript({ sources, settings: [], quiet: true, format: 'text' });
  const ticks = new Set<string>();
  const descriptions = program.clauses.flatMap((c) =>
    c.probes.flatMap((p) => {
      if (p.description !== null) return [p.description];
      const special = p.special?.kind;
      if (special === 'tick') {
        const name = tickName(p.text);
        ticks.add(name);
        return [ProbeDescription.parse(`profile:::${name}`)];
      }
      return special === 'BEGIN' || special === 'END' || special === 'ERROR' ? [ProbeDescription.parse(`dtrace:::${special}`)] : [];
    }),
  );
  return { descriptions, ticks: [...ticks] };
}

/** `rows` and then a program's ticks, as DTrace creates tick-N on demand: ids after every probe's. */
function withTicks(rows: ProbeRow[], ticks: readonly string[]): ProbeRow[] {
  const first = rows.reduce((max, r) => Math.max(max, r[0] + 1), FIRST_PROBE_ID);
  return [...rows, ...ticks.map((name, i): ProbeRow => [first + i, 'profile', '', '', name])];
}

/** Without CMD: the probes that exist in any Node process before it loads code (providers, core modules). */
function listHere(matches: (name: ProbeName) => boolean, what: string, ticks: readonly string[]): number {
  registerProviders();
  registerAllCoreModules();
  const registered = registry.list().map((p): ProbeRow => [p.id, p.provider, p.module, p.func, p.name]);
  const rows = withTicks([...DTRACE_ROWS, ...registered], ticks).filter((r) =>
    matches({ provider: r[1], module: r[2], func: r[3], name: r[4] }),
  );
  if (rows.length === 0) {
    process.stderr.write(`mscope: no probes match ${what}\n`);
    return 1;
  }
  process.stdout.write(formatProbeTable(rows));
  return 0;
}
