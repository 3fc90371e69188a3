import { unknownBinding, controlRequest, type BindingKind, type LinkInfo, type ProbeMechanism } from '../../weaver/index.js';
import { ErrorCode, MscopeError, escapeText } from '../../core/index.js';
import { parseOwn, pidOf, printUsage, usage } from '../args.js';

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** `mscope links PID`: what is linked in a traced process, with its binding, events, drops and faults. */
export async function linksCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOwn('links', [...args], HELP, true);
  if (values.help === true) return printUsage('links');
  if (positionals.length !== 1) throw usage('mscope links: expected one PID');
  const r = await controlRequest(pidOf('links', positionals[0]!), { op: 'links' });
  if (!r.ok) throw new MscopeError(ErrorCode.BadUsage, `mscope links: ${r.error}`);
  process.stdout.write(formatLinks(r.links ?? []) + formatMechanisms(r.probes ?? []));
  return 0;
}

/** `mscope relink PID LINK BINDING`: switches one link's binding live; aggregations carry over. */
export async function relinkCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOwn('relink', [...args], HELP, true);
  if (values.help === true) return printUsage('relink');
  if (positionals.length !== 3) throw usage('mscope relink: expected PID LINK BINDING');
  const [pid, link, binding] = positionals as [string, string, string];
  const unknown = unknownBinding(binding);
  if (unknown !== null) throw usage(`mscope relink: ${unknown}`);
  const id = Number(link);
  if (!Number.isInteger(id) || id <= 0) throw usage(`mscope relink: LINK must be a link id from mscope links, got "${link}"`);
  const r = await controlRequest(pidOf('relink', pid), { op: 'relink', link: id, binding: binding as BindingKind });
  if (!r.ok) throw new MscopeError(ErrorCode.BadUsage, `mscope relink: ${r.error}`);
  process.stdout.write(`link ${id} of process ${pid} is now bound by ${binding}\n`);
  return 0;
}

function formatLinks(rows: readonly LinkInfo[]): string {
  const head = `${'LINK'.padStart(5)} ${'BINDING'.padEnd(8)} ${'EVENTS'.padStart(10)} ${'DROPS'.padStart(8)} ${'FAULTS'.padStart(7)} DESCRIPTION\n`;
  return (
    head +
    rows
      .map(
        (l) =>
          `${String(l.id).padStart(5)} ${l.binding.padEnd(8)} ${String(l.events).padStart(10)} ${String(l.drops).padStart(8)} ${String(l.faults).padStart(7)} ${escapeText(l.description)}\n`,
      )
      .join('')
  );
}

/** An attached process's spliced probes, and whether each runs on a live edit or a breakpoint. */
function formatMechanisms(rows: readonly ProbeMechanism[]): string {
  if (rows.length === 0) return '';
  const width = Math.max(5, ...rows.map((r) => escapeText(r.probe).length));
  return `\n${'PROBE'.padEnd(width)} MECHANISM\n${rows.map((r) => `${escapeText(r.probe).padEnd(width)} ${escapeText(r.mechanism)}\n`).join('')}`;
}
