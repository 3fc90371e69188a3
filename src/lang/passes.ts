import type { BindingKind } from '../core/index.js';
import type { Program } from './ast.js';
import { assignBindings } from './bindings.js';
import { checkProgram, type CheckResult } from './check.js';
import { generate, type GeneratedProgram } from './compile.js';
import { DiagnosticBag, type Source } from './diagnostics.js';
import { DEFAULT_OPTIONS, resolveOptions } from './options.js';
import type { MacroArgs } from './macros.js';
import { markAddressed } from './addressed.js';
import { Declarations } from './declarations.js';
import { checkRemoteState } from './remote-state.js';
import { parse } from './parser.js';
import { resolveNames, type Names } from './resolve.js';
import { typeProgram } from './types.js';

export interface PassResult {
  readonly program: Program;
  readonly names: Names;
  readonly checked: CheckResult;
  /** Per clause index: the binding its probes are linked with. */
  readonly bindings: readonly BindingKind[];
  /** Absent when a pass reported an error. */
  readonly generated?: GeneratedProgram;
}

/**
 * The whole pipeline, in order; no pass runs anywhere else:
 * 1. parse every source into one program (clause indexes run on across files, so clause
 *    order is link order); macro arguments are substituted here, so later passes see
 *    literals; `#pragma` lines become options and bindings with their place in the file;
 *    parsed again when the options (pragmas, then `-x`) set another strsize, since `sizeof`
 *    and struct layouts read the string type's size, `char [strsize]`, while parsing;
 * 2. resolve names: needs every clause, since a global is declared by an assignment anywhere;
 * 3. type every expression and variable: needs resolved names; reports nothing; then the
 *    variables some part of which has its address taken are put in memory (addressed.ts),
 *    which needs the types of undeclared ones;
 * 4. check types, calls, aggregations and options (the program's and `-x` settings) once, and
 *    record each clause's capabilities;
 * 5. bind each clause (`#pragma binding`, else `fallback`) and check its capabilities
 *    against what its binding can give, and refuse a read of a global or `this->` variable
 *    that another clause writes where either is bound by shm or message (remote-state.ts);
 * 6. generate code: only for a program without errors, since it trusts the types.
 * Diagnostics come out in source order: by file as given, then by position.
 */
export function runPasses(
  sources: readonly Source[],
  diags: DiagnosticBag,
  macros: MacroArgs,
  fallback: BindingKind,
  settings: Iterable<[string, string]> = [],
): PassResult {
  const cli = [...settings];
  const parsed = new DiagnosticBag();
  let program = parseAll(sources, parsed, macros, DEFAULT_OPTIONS.strsize);
  // `sizeof` and struct layouts read the string type's size while parsing: with another strsize, parse again.
  const pragmas = program.pragmas.flatMap((p): [string, string][] => (p.kind === 'option' ? [[p.option, p.value]] : []));
  const strsize = resolveOptions([...pragmas, ...cli]).strsize;
  if (strsize === DEFAULT_OPTIONS.strsize) diags.list.push(...parsed.list);
  else program = parseAll(sources, diags, macros, strsize);
  const names = resolveNames(program, diags);
  const varTypes = typeProgram(program.clauses, program.decls);
  markAddressed(program, names, varTypes);
  const checked = checkProgram(program, varTypes, diags, cli);
  const bindings = assignBindings(program, checked.capabilities, fallback, diags);
  checkRemoteState(program, names, bindings, diags);
  const order = sources.map((s) => s.file);
  diags.list.sort((a, b) => order.indexOf(a.range.file) - order.indexOf(b.range.file) || a.range.start - b.range.start);
  if (diags.hasErrors) return { program, names, checked, bindings };
  return { program, names, checked, bindings, generated: generate(program, names, checked) };
}

/** Every source parsed into one program whose string type is `char [strsize]`. */
function parseAll(sources: readonly Source[], diags: DiagnosticBag, macros: MacroArgs, strsize: number): Program {
  const program: Program = { clauses: [], pragmas: [], decls: new Declarations() };
  program.decls.strsize = strsize;
  for (const s of sources) {
    const p = parse(s.file, s.text, diags, program.clauses.length, macros, program.decls);
    program.clauses.push(...p.clauses);
    program.pragmas.push(...p.pragmas);
  }
  return program;
}
