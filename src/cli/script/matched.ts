import { registry } from '../../core/index.js';
import { matchesLater, renderDiagnostics, unmatchedProbeWarnings, type CompiledProgram } from '../../lang/index.js';

/**
 * Makes mscope's registry hold the probes every traced process has before its own code runs
 * (the runtime providers, Node's core modules), so that descriptions of them are judged
 * before CMD starts. Nothing is linked: no hook is installed in mscope. A program of BEGIN,
 * END, ERROR and tick-N clauses names no probe, and mscope then loads no provider.
 */
export async function registerKnownProbes(program: CompiledProgram): Promise<void> {
  if (!program.clauses.some((c) => c.probes.some((p) => p.description !== null))) return;
  const [{ registerProviders }, { nodeProbeFactory }] = await Promise.all([
    import('../../providers/index.js'),
    import('../../modules/core-modules.js'),
  ]);
  registerProviders();
  registry.addFactory(nodeProbeFactory);
}

/**
 * What dtrace(1M) prints on stderr once a program is enabled and before it runs: one
 * `script 'FILE' matched N probes` per `-s` file and one `description 'TEXT' matched N probes`
 * per `-e` text (its descriptions, up to the first predicate or action, as DTrace names a `-n`
 * program), and the warnings (D5001) of descriptions that matched nothing. N counts BEGIN, END,
 * ERROR and tick-N, and every probe a description matches now; `fn`, `usdt` and `dc` probes
 * a program makes as it loads its modules are matched then (see matchesLater), so a
 * description that can match them says so, and is judged at the end of the run instead.
 * `attached`: what each description matched in a process mscope attached to (its modules are
 * loaded, so every count is final), by the description's text.
 */
export function enableNotices(program: CompiledProgram, quiet: boolean, attached?: Readonly<Record<string, number>>): string {
  let out = '';
  for (const source of program.sources) {
    let matched = 0;
    let later = false;
    for (const c of program.clauses) {
      for (const spec of c.probes) {
        if (spec.span.file !== source.file) continue;
        const d = spec.description;
        if (d === null) {
          matched++;
          continue;
        }
        if (attached !== undefined) {
          matched += attached[d.text] ?? 0;
          continue;
        }
        matched += registry.find(d).length;
        later ||= matchesLater(d);
      }
    }
    if (quiet) continue;
    const what = source.file.startsWith('-e') ? `description '${descriptionsOf(source.text)}'` : `script '${source.file}'`;
    const plural = matched === 1 ? '' : 's';
    out += `mscope: ${what} matched ${matched} probe${plural}${later ? ' (fn, usdt and dc probes are matched as the program makes them)' : ''}\n`;
  }
  // -Z (zdefs): a description may match nothing, silently, as in DTrace.
  const unmatched = program.options.zdefs ? [] : unmatchedProbeWarnings(program, registry.list(), 'now');
  return renderDiagnostics(unmatched, program.sources) + out;
}

/** DTrace names a `-n` program by its text up to the first predicate or action block. */
function descriptionsOf(text: string): string {
  const end = text.search(/[/{]/);
  return (end < 0 ? text : text.slice(0, end)).replace(/\s*\n\s*/g, ' ');
}
