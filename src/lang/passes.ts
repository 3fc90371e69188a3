import type { Program } from './ast.js';
import { checkProgram, type CheckResult } from './check.js';
import { generate, type GeneratedProgram } from './compile.js';
import type { DiagnosticBag, Source } from './diagnostics.js';
import type { MacroArgs } from './macros.js';
import { parse } from './parser.js';
import { resolveNames, type Names } from './resolve.js';

export interface PassResult {
  readonly program: Program;
  readonly names: Names;
  readonly checked: CheckResult;
  /** Absent when an earlier pass reported an error. */
  readonly generated?: GeneratedProgram;
}

/**
 * The pass order, written once:
 * 1. parse every source into one program (clause indexes run on across files, so clause
 *    order is link order); macro arguments are substituted here, so later passes see literals;
 * 2. resolve names: needs every clause, since a global is declared by an assignment anywhere;
 * 3. check types and capabilities: needs resolved names to type variables;
 * 4. generate code: only for a program without errors, since it trusts the types.
 */
export function runPasses(sources: readonly Source[], diags: DiagnosticBag, macros: MacroArgs = []): PassResult {
  const program: Program = { clauses: [], pragmas: [] };
  for (const s of sources) {
    const p = parse(s.file, s.text, diags, program.clauses.length, macros);
    program.clauses.push(...p.clauses);
    program.pragmas.push(...p.pragmas);
  }
  const names = resolveNames(program, diags);
  const checked = checkProgram(program, names, diags);
  if (diags.hasErrors) return { program, names, checked };
  return { program, names, checked, generated: generate(program, names, checked) };
}
