import type { AggregationInfo } from './check.js';
import type { Capability } from './builtins.js';
import type { ProbeSpec } from './ast.js';
import { DiagnosticBag, type Diagnostic, type Source } from './diagnostics.js';
import { resolveOptions, type ProgramOptions } from './options.js';
import { runPasses } from './passes.js';
import { clauseFactory, type ClauseFactory } from './runtime/helpers.js';
import type { ClauseEvents } from './compile.js';
import type { OutputFormat } from './runtime/runtime.js';
import type { BindingKind } from '../core/index.js';
import { setDefaultArgs, type MacroVars } from './macros.js';

/** A checked clause; what it does with its event (ClauseEvents) is declared when its probes are linked. */
export interface ClauseInfo extends ClauseEvents {
  readonly index: number;
  /** How the clause's probes are bound: `#pragma binding`, else `CompileOptions.binding`. */
  readonly binding: BindingKind;
  readonly probes: readonly ProbeSpec[];
  /** What the clause needs from its binding (live objects, `this`, the stack…). */
  readonly capabilities: readonly Capability[];
  /** The clause has no action block and prints DTrace's default probe line. */
  readonly defaultAction: boolean;
}

/** A checked program, its code generated once; a ProgramInstance makes it live. */
export interface CompiledProgram {
  readonly sources: readonly Source[];
  readonly clauses: readonly ClauseInfo[];
  /** Aggregations in the order the generated code indexes them. */
  readonly aggregations: readonly AggregationInfo[];
  /** Aggregations some printa() names: DTrace does not print them again at exit. */
  readonly printedByProgram: ReadonlySet<string>;
  readonly selfDefaults: readonly (number | string | object)[];
  /** Global scalars and associative arrays by name, in the order `factory`'s globals index them. */
  readonly globals: readonly string[];
  readonly arrays: readonly string[];
  readonly options: ProgramOptions;
  readonly format: OutputFormat;
  /** The generated JavaScript, for `-x debug` style inspection and tests. */
  readonly code: string;
  readonly factory: ClauseFactory;
}

/**
 * Whether a traced process has anything of the program to run: BEGIN (it sets the globals
 * the probe clauses read) or a probe clause. END and tick-N run in mscope only, and ERROR
 * fires only for faults of the clauses a process runs.
 */
export function runsInAgents(program: CompiledProgram): boolean {
  return program.clauses.some((c) => c.probes.some((p) => p.description !== null || p.special?.kind === 'BEGIN'));
}

export interface CompileOptions {
  /** `-x name=value` settings, applied after the program's own pragmas. */
  readonly options?: Iterable<[string, string]>;
  readonly quiet?: boolean;
  readonly format?: OutputFormat;
  /** Macro arguments `$1`, `$2`… (`--arg`); `$0` is the first source's file name. */
  readonly macroArgs?: readonly string[];
  /** `$pid`, `$uid`, `$cwd`…: mscope's, when compiling in an agent; else this process's. */
  readonly macroVars?: MacroVars;
  /** The binding of clauses without a `#pragma binding` (`-b`); default direct. */
  readonly binding?: BindingKind;
}

export interface CompileResult {
  readonly program?: CompiledProgram;
  readonly diagnostics: Diagnostic[];
}

export function compile(sources: readonly Source[], options: CompileOptions = {}): CompileResult {
  const diags = new DiagnosticBag();
  const macros = Object.assign(
    [sources[0]?.file ?? '', ...(options.macroArgs ?? [])],
    options.macroVars ? { vars: options.macroVars } : {},
  );
  const cliSettings = [...(options.options ?? [])];
  if (resolveOptions(cliSettings).defaultargs) setDefaultArgs(macros);
  const r = runPasses(sources, diags, macros, options.binding ?? 'direct', cliSettings);
  const gen = r.generated;
  if (gen === undefined) return { diagnostics: diags.list };
  const settings: [string, string][] = [...r.checked.options.entries(), ...cliSettings];
  if (options.quiet === true) settings.push(['quiet', '1']);
  const program: CompiledProgram = {
    sources,
    clauses: r.program.clauses.map((c) => ({
      index: c.index,
      binding: r.bindings[c.index] ?? 'direct',
      probes: c.probes,
      capabilities: r.checked.capabilities[c.index] ?? [],
      defaultAction: c.defaultAction,
      ...gen.events[c.index]!,
    })),
    aggregations: gen.aggregations.map((n) => r.checked.aggregations.get(n)!),
    printedByProgram: r.checked.printedByProgram,
    selfDefaults: gen.selfDefaults,
    globals: gen.globals,
    arrays: gen.arrays,
    options: resolveOptions(settings),
    format: options.format ?? 'text',
    code: gen.source,
    factory: clauseFactory(gen.source),
  };
  return { program, diagnostics: diags.list };
}
