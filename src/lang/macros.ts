/**
 * Macro arguments, as DTrace's `$1`, `$$1`, `$#` and `$0`: values given after the script on
 * the command line, substituted while parsing, so that `$1` is a constant like any literal.
 * `args[0]` is `$0` (the script's name); `args[n]` is `$n`.
 */
export type MacroArgs = readonly string[] & { readonly vars?: MacroVars; defaultArgs?: boolean };

/**
 * DTrace's `defaultargs` option: a `$N` whose argument was not given is 0 and a `$$N` is "",
 * instead of an error. `-x defaultargs` sets it for the whole program; its pragma from where
 * it stands on, as DTrace's lexer reads the pragma before the tokens after it.
 */
export function setDefaultArgs(args: MacroArgs): void {
  args.defaultArgs = true;
}

/**
 * DTrace's process macro variables, of the tracing process (mscope) as in DTrace where they
 * are dtrace's own: mscope computes them once and hands them to every agent with the program.
 */
export interface MacroVars {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly euid: number;
  readonly egid: number;
  readonly cwd: string;
}

export function processMacroVars(): MacroVars {
  const id = (f: (() => number) | undefined): number => (typeof f === 'function' ? f() : 0);
  return {
    pid: process.pid,
    ppid: process.ppid,
    uid: id(process.getuid),
    gid: id(process.getgid),
    euid: id(process.geteuid),
    egid: id(process.getegid),
    cwd: process.cwd(),
  };
}

/** `$target` is not a constant: it reads the command's pid when the clause runs (core/target-pid.ts). */
export const TARGET_MACRO = '$target';

/** The hint of an unknown named macro variable. */
export const MACRO_VAR_HINT = { hint: 'macro variables are $target, $pid, $ppid, $uid, $gid, $euid, $egid, $cwd, $0, $1… and $#' };

/** The hint of a missing-argument error (D2009). */
export const MACRO_HINT = { hint: 'macro arguments are given after the script: mscope run -s FILE --arg VALUE…' };

export type MacroValue = { readonly kind: 'int'; readonly value: number | bigint } | { readonly kind: 'str'; readonly value: string };

/** `$N`, `$$N` and `$#` in expressions; `$N` and `$$N` inside probe descriptions. */
export const MACRO_TOKEN = /\$(?:\$?[0-9]+|#|[A-Za-z_][A-Za-z0-9_]*)/y;
const IN_DESCRIPTION = /\$\$?[0-9]+/g;

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** An argument that reads as a C integer (decimal, 0x hex, 0 octal, optional sign), else null. */
export function macroInt(text: string): number | bigint | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return null;
  const digits = m[2]!;
  let v = /^0[0-7]+$/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (m[1] === '-') v = -v;
  if (v < INT64_MIN || v > INT64_MAX) return null;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * The value of one macro token, or undefined when its argument was not given. `$N` is an
 * integer when its argument reads as one and a string otherwise; `$$N` is always a string.
 */
export function macroValue(token: string, args: MacroArgs): MacroValue | undefined {
  if (token === '$#') return { kind: 'int', value: Math.max(0, args.length - 1) };
  if (/^\$[A-Za-z_]/.test(token)) {
    const vars = args.vars ?? processMacroVars();
    const name = token.slice(1);
    if (!Object.hasOwn(vars, name)) return undefined;
    const v = vars[name as keyof MacroVars];
    return typeof v === 'string' ? { kind: 'str', value: v } : { kind: 'int', value: v };
  }
  const stringForm = token.startsWith('$$');
  const v = args[Number(token.slice(stringForm ? 2 : 1))];
  if (v === undefined) {
    if (args.defaultArgs !== true) return undefined;
    return stringForm ? { kind: 'str', value: '' } : { kind: 'int', value: 0 };
  }
  const n = stringForm ? null : macroInt(v);
  return n === null ? { kind: 'str', value: v } : { kind: 'int', value: n };
}

/**
 * A probe description with its `$N`/`$$N` replaced by the arguments' text (`fn::$1:entry`);
 * `missing` is called with the offset and text of each one not given.
 */
export function expandDescription(text: string, args: MacroArgs, missing: (offset: number, token: string) => void): string {
  return text.replace(IN_DESCRIPTION, (token: string, offset: number) => {
    const v = args[Number(token.replace(/^\$\$?/, ''))];
    if (v === undefined && args.defaultArgs !== true) missing(offset, token);
    return v ?? '';
  });
}
