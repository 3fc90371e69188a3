import { compileFormat, formatCompiled, type CompiledFormat, type PrintfArg } from '../../aggregate/printf.js';

const formats = new Map<string, CompiledFormat>();

/** Formats are constants, so each is parsed once per process. */
export function compiled(fmt: string): CompiledFormat {
  let f = formats.get(fmt);
  if (f === undefined) {
    f = compileFormat(fmt);
    formats.set(fmt, f);
  }
  return f;
}

export function printf(fmt: string, args: readonly PrintfArg[]): string {
  return formatCompiled(compiled(fmt), args);
}
