import { topProgram } from '../../consumer/top-table.js';
import type { CompiledProgram } from '../../lang/index.js';
import { processMacroVars } from '../../lang/macros.js';
import { compileScript, encodeScript, type ScriptSpec } from '../../lang/script-spec.js';
import { shipProgram } from '../../lang/shipped.js';
import { usage } from '../args.js';

/**
 * The D program behind kperfmon's per-function figures (`mscope top -m`, `mscope run
 * --explore --functions`) over `FUNC` or `MODULE:FUNC` globs, compiled and encoded for the agents.
 */
export function functionsProgram(option: string, patterns: readonly string[]): { program: CompiledProgram; spec: string } {
  for (const p of patterns) {
    if (p === '' || p.split(':').length > 2) throw usage(`${option} expects FUNC or MODULE:FUNC globs, got "${p}"`);
  }
  const script: ScriptSpec = {
    sources: [{ file: 'mscope top', text: topProgram(patterns) }],
    settings: [['zdefs', '1']],
    quiet: true,
    format: 'text',
    macroVars: processMacroVars(),
  };
  const program = compileScript(script);
  return { program, spec: encodeScript({ ...script, compiled: shipProgram(program) }) };
}
