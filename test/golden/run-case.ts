import { compile, renderDiagnostics } from '../../src/lang/index.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';
import { workload } from './fixture.js';

/**
 * Runs a D program in-process in the solo role against the fixture workload, as the golden
 * cases and LANGUAGE.md's examples do: `// quiet` (or a `#!… -q` line) and `// json` set the
 * output, `// args: ["42", "world"]` gives macro arguments as `--arg` does. `out` is what it
 * prints, then `[exit N]`; `err` the diagnostics (warnings only, when it compiled).
 */
// %Y and %T print local time: the cases are written for UTC (Node reads TZ when it changes).
process.env.TZ = 'UTC';
// aggpack draws its bars in UTF-8 but on terminals DTrace knows cannot show it: the cases use ASCII.
process.env.TERM = 'dumb';

export async function runCase(file: string, text: string): Promise<{ out: string; err: string }> {
  const sources = [{ file, text }];
  const quiet = /^#!.*-q/.test(text) || text.includes('// quiet');
  const format = text.includes('// json') ? 'json' : 'text';
  // `// args: ["42", "world"]` gives the case macro arguments, as `--arg` does.
  const args = /^\/\/ args: (.*)$/m.exec(text);
  const macroArgs = args === null ? [] : (JSON.parse(args[1]!) as string[]);
  const r = compile(sources, { quiet, format, macroArgs });
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  if (r.program === undefined) return { out: '', err: renderDiagnostics(r.diagnostics, sources) };
  let out = '';
  let exited: number | null = null;
  let resolveExit: () => void = () => {};
  const exitPromise = new Promise<void>((resolve) => (resolveExit = resolve));
  const inst = ConsumerProgram.solo(r.program, {
    output: (t) => (out += t),
    exit: (n) => {
      exited = n;
      resolveExit();
    },
    warn: (t) => (out += `[warning] ${t}`),
  });
  inst.start();
  if (exited === null) await workload();
  if (exited === null && r.program.clauses.some((c) => c.probes.some((p) => p.special?.kind === 'tick'))) {
    // Cleared once the case has exited: a pending 5 s timer kept the whole file alive after its last case.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exitPromise, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
  }
  inst.finish();
  if (exited !== null) out += `[exit ${exited}]\n`;
  return { out, err: warnings.length > 0 ? renderDiagnostics(warnings, sources) : '' };
}
