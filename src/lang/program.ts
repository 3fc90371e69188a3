import type { AggregationInfo } from './check.js';
import type { Capability } from './builtins.js';
import type { ProbeSpec } from './ast.js';
import { DiagnosticBag, type Diagnostic, type Source } from './diagnostics.js';
import { resolveOptions, type ProgramOptions } from './options.js';
import { runPasses } from './passes.js';
import { clauseHelpers, type ClauseFactory } from './runtime/helpers.js';
import type { OutputFormat } from './runtime/runtime.js';
import { visitProgram } from './walk.js';
import { assignBindings } from './bindings.js';
import type { BindingKind } from '../weaver/index.js';

export interface ClauseInfo {
  readonly index: number;
  /** How the clause's probes are bound: `#pragma binding`, else `CompileOptions.binding`. */
  readonly binding: BindingKind;
  readonly probes: readonly ProbeSpec[];
  /** What the clause needs from its binding (live objects, `this`, the stack…). */
  readonly capabilities: readonly Capability[];
  /** The clause has no action block and prints DTrace's default probe line. */
  readonly defaultAction: boolean;
}

/** A checked program, its code generated once; a ProgramInstance runs it. */
export interface CompiledProgram {
  readonly sources: readonly Source[];
  readonly clauses: readonly ClauseInfo[];
  /** Aggregations in the order the generated code indexes them. */
  readonly aggregations: readonly AggregationInfo[];
  /** Aggregations some printa() names: DTrace does not print them again at exit. */
  readonly printedByProgram: ReadonlySet<string>;
  readonly selfDefaults: readonly (number | string)[];
  readonly options: ProgramOptions;
  readonly format: OutputFormat;
  /** The generated JavaScript, for `-x debug` style inspection and tests. */
  readonly code: string;
  readonly factory: ClauseFactory;
}

export interface CompileOptions {
  /** `-x name=value` settings, applied after the program's own pragmas. */
  readonly options?: Iterable<[string, string]>;
  readonly quiet?: boolean;
  readonly format?: OutputFormat;
  /** Macro arguments `$1`, `$2`… (`--arg`); `$0` is the first source's file name. */
  readonly macroArgs?: readonly string[];
  /** The binding of clauses without a `#pragma binding` (`-b`); default direct. */
  readonly binding?: BindingKind;
}

export interface CompileResult {
  readonly program?: CompiledProgram;
  readonly diagnostics: Diagnostic[];
}

export function compile(sources: readonly Source[], options: CompileOptions = {}): CompileResult {
  const diags = new DiagnosticBag();
  const r = runPasses(sources, diags, [sources[0]?.file ?? '', ...(options.macroArgs ?? [])]);
  const order = sources.map((s) => s.file);
  diags.list.sort((a, b) => order.indexOf(a.range.file) - order.indexOf(b.range.file) || a.range.start - b.range.start);
  const cli = [...(options.options ?? [])];
  const bindings =
    r.generated === undefined ? [] : assignBindings(sources, r.program.clauses, r.checked.capabilities, options.binding ?? 'direct', diags);
  diags.list.sort((a, b) => order.indexOf(a.range.file) - order.indexOf(b.range.file) || a.range.start - b.range.start);
  if (r.generated === undefined || diags.list.some((d) => d.severity === 'error')) return { diagnostics: diags.list };
  const settings: [string, string][] = [...r.checked.options.entries(), ...cli];
  if (options.quiet === true) settings.push(['quiet', '1']);
  const printed = new Set<string>();
  visitProgram(r.program, (e) => {
    if (e.kind === 'call' && (e.name === 'printa' || e.name === 'print' || e.name === 'trace')) {
      for (const a of e.args) if (a.kind === 'agg') printed.add(a.name || '_');
    }
  });
  const gen = r.generated;
  const program: CompiledProgram = {
    sources,
    clauses: r.program.clauses.map((c) => ({
      index: c.index,
      binding: bindings[c.index] ?? 'direct',
      probes: c.probes,
      capabilities: r.checked.capabilities[c.index] ?? [],
      defaultAction: c.defaultAction,
    })),
    aggregations: gen.aggregations.map((n) => r.checked.aggregations.get(n)!),
    printedByProgram: printed,
    selfDefaults: gen.selfDefaults,
    options: resolveOptions(settings),
    format: options.format ?? 'text',
    code: gen.source,
    factory: new Function('rt', 'h', clauseHelpers.prologue + gen.source) as ClauseFactory,
  };
  return { program, diagnostics: diags.list };
}
