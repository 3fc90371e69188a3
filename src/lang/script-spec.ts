import { ErrorCode, MscopeError } from '../core/index.js';
import type { BindingKind } from '../core/index.js';
import { compile, renderDiagnostics, type CompiledProgram, type OutputFormat, type Source } from './index.js';
import type { MacroVars } from './macros.js';
import type { ShippedProgram } from './shipped.js';

/** A D program as mscope hands it to every agent: the sources and the command-line settings. */
export interface ScriptSpec {
  readonly sources: readonly Source[];
  readonly settings: ReadonlyArray<[string, string]>;
  readonly quiet: boolean;
  readonly format: OutputFormat;
  /** `--arg VALUE`…: the macro arguments `$1`, `$2`…; absent for programs that take none. */
  readonly args?: readonly string[];
  /** `$pid`, `$uid`, `$cwd`…: mscope's, so that every agent compiles the same constants. */
  readonly macroVars?: MacroVars;
  /** `-b`: the binding of clauses without a `#pragma binding`. */
  readonly binding?: BindingKind;
  /** The program mscope compiled from all this, so that an agent need not load the compiler. */
  readonly compiled?: ShippedProgram;
}

/** A program that does not compile; its message is the rendered diagnostics, `FILE:LINE:COL: …` first. */
export class ScriptCompileError extends MscopeError {
  constructor(message: string) {
    super(ErrorCode.BadScript, message);
  }
}

/**
 * Runs a command, printing a compile error's diagnostics exactly as rendered (without the
 * `mscope: ` prefix other errors get, so that each starts `FILE:LINE:COL:` as editors
 * expect) and returning 1.
 */
export async function printingScriptErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ScriptCompileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

export function encodeScript(spec: ScriptSpec): string {
  return JSON.stringify(spec);
}

export function decodeScript(text: string): ScriptSpec {
  return JSON.parse(text) as ScriptSpec;
}

/**
 * Compiles the program or throws one error whose message is every diagnostic rendered as
 * `FILE:LINE:COL: message`, the source line and a caret. Warnings go to `warn`.
 */
export function compileScript(spec: ScriptSpec, warn: (text: string) => void = () => {}): CompiledProgram {
  const r = compile(spec.sources, {
    options: spec.settings,
    quiet: spec.quiet,
    format: spec.format,
    macroArgs: spec.args ?? [],
    ...(spec.macroVars ? { macroVars: spec.macroVars } : {}),
    ...(spec.binding ? { binding: spec.binding } : {}),
  });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  const warnings = r.diagnostics.filter((d) => d.severity !== 'error');
  if (warnings.length > 0) warn(renderDiagnostics(warnings, spec.sources));
  if (errors.length > 0 || r.program === undefined) {
    throw new ScriptCompileError(renderDiagnostics(errors, spec.sources).trimEnd());
  }
  return r.program;
}
