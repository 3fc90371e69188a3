import { lineOf, lineStarts } from '../core/lines.js';
import { displayWidth } from './display-width.js';

/**
 * Every message the language can report, with a stable code. Diagnostics are data: a code,
 * a rendered message, a source range and an optional hint; passes collect them, never throw.
 */
export const Messages = {
  D1001: 'unterminated string literal',
  D1002: 'unterminated comment',
  D1003: 'unexpected character {0}',
  D1004: 'invalid integer literal `{0}`',
  D1005: 'invalid escape sequence `\\{0}`',
  D1006: 'invalid character literal',
  D1007: 'unknown pragma `{0}`; expected `#pragma D option NAME[=VALUE]`',
  D2001: 'expected {0}, found {1}',
  D2002: 'expected a probe description, found {0}',
  D2003: 'invalid probe description `{0}`: {1}',
  D2004: 'expected an expression, found {0}',
  D2005: '`{0}` is not assignable',
  D2006: 'loops are not allowed in D: every clause must run in bounded time',
  D2007: 'user-defined functions are not allowed in D',
  D2008: 'invalid tick probe `{0}`; expected tick-N with unit ns, us, ms, s or hz',
  D2009: 'macro argument {0} is not defined',
  D2010: 'expression nested more than {0} levels deep',
  D3001: 'unknown function `{0}`',
  D3002: 'unknown variable `{0}`',
  D3004: '`{0}` takes {1} argument(s), got {2}',
  D3005: 'aggregation `{0}` is used with `{1}` here but `{2}` elsewhere',
  D3006: '`{0}` is keyed by {1} key(s) here but {2} elsewhere',
  D3007: 'unknown option `{0}`',
  D3008: '`{0}` is an aggregating function; use it as `@name[keys] = {0}(...)`',
  D3009: 'aggregation `{0}` is never assigned',
  D3010: '`{0}` is a built-in variable and cannot be assigned',
  D3012: 'invalid value `{1}` for option `{0}`',
  D3013: 'invalid arguments to `{0}`: {1}',
  D3014: '`{0}` records have no field `{1}`',
  D3016: '`{0}` is {1} elsewhere: a D variable is a scalar or an associative array, not both',
  D3017: '`{0}` is declared as `{1}`, which cannot be indexed',
  D3015: '`{0}` probes pass one argument, a `{1}` record as `args[0]`; `{2}` reads nothing',
  D4001: 'operator `{0}` needs integer operands, found {1}',
  D4002: 'cannot compare {0} with {1}',
  D4003: 'argument {0} of `{1}` must be {2}, found {3}',
  D4004: 'variable `{0}` holds {1} but is assigned {2} here',
  D4005: 'the format of `{0}` must be a string literal',
  D4006: 'format `{0}` expects {1} argument(s), got {2}',
  D4007: 'bad format: {0}',
  D4008: '`%@` is only valid in printa()',
  D4009: 'argument {0} of `{1}` must be an integer constant',
  D4010: 'argument {0} of `{1}` must be an aggregation',
  D4011: '`{0}` requires speculate() to come before any recording action in the clause',
  D4012: 'aggregations, exit() and destructive actions cannot be speculative',
  D4013: 'division by constant zero',
  D4014: 'this clause uses {0}, but {1}',
  D4016:
    '`{0}` is written by the `{1}` clause, which this clause cannot see: clauses bound by {2} keep their own globals and this-> variables; bind both with direct',
  D4015: 'unknown binding `{0}`; expected direct, shm or message',
  D1101: 'invalid floating-point literal `{0}`',
  D2101: 'declarations are only allowed outside clauses',
  D4101: '`{0}` is already declared',
  D4102: 'unknown type `{0}`',
  D4103: 'array size must be a positive integer constant',
  D4104: 'index {0} is out of bounds for `{1}` (size {2})',
  D4105: 'cannot cast {0} to {1}',
  D4106: '`{0}` has no member `{1}`',
  D4107: '`{0}` needs a struct or union, found {1}',
  D4108: 'bit-field `{0}` must have an integer type and a constant width from 1 to {1}',
  D4109: '`{0}` has no members declared',
  D4110: 'declaration of `{0}` may not have an initializer',
  D4111: 'no translator from {0} to {1}',
  D4112: '{0} cannot take {1}',
  D4113: 'extern variables name kernel symbols, which microScope does not have',
  D4114: '`{0}` is not a valid type',
  D4115: 'enumerator `{0}` must be an integer constant that fits an int',
  D4116: 'bit-field `{0}` has no byte offset',
  D4117: '`{0}` cannot be declared as {1}',
  D4118: '`{0}` is not an lvalue: it reads a value of the traced program',
  D4119: '`{0}` is not indexed by {1}',
  D4120: 'cannot dereference {0}: `*` needs a pointer',
  D4121: 'cannot dereference a pointer to void',
  D4122: 'operator `{0}` cannot take {1}: pointer arithmetic needs a pointer to a type of known size',
  D4123: 'cannot take the address of `{0}`: it is a D variable, which has no address',
  D4124: 'unacceptable operand for `&`: it needs an lvalue',
  D4125: 'cannot take the address of bit-field `{0}`',
  D4126:
    'cannot take the address of `{0}`: only memory (scratch from alloca, a part of an array, struct or union variable) has addresses here',
  D4127: '`{0}` is {1} of unknown size (an incomplete type), which cannot be read or written whole',
  D4128: '`{0}` is indexed but nothing assigns or declares it; declare it, as `{1}`',
  D4129: '`{0}` has not yet been declared or assigned',
  D4201: 'argument {0} of `{1}` is {2}, but conversion `{3}` takes {4}',
  D4202: 'aggregation `{0}` cannot be used as a value; only printa(), clear(), trunc(), normalize() and denormalize() take one',
  D4203: 'aggregation `{0}` is used with `{1}({2})` here but `{1}({3})` elsewhere; the parameters must match',
  D4204: '{0} may not follow {1}',
  D5001: 'probe description `{0}` matched no probes',
} as const;

export type MessageCode = keyof typeof Messages;

export interface SourceRange {
  readonly file: string;
  /** Offsets into the file's text; `end` is exclusive. */
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: MessageCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly hint?: string;
}

export interface Source {
  readonly file: string;
  readonly text: string;
}

export interface ReportOptions {
  readonly hint?: string;
  /** Appended to the message, e.g. "; did you mean `count`?". */
  readonly suffix?: string;
}

export function makeDiagnostic(
  code: MessageCode,
  range: SourceRange,
  args: readonly (string | number)[] = [],
  options: ReportOptions = {},
): Diagnostic {
  const severity: Severity = code.startsWith('D5') ? 'warning' : 'error';
  const message = Messages[code].replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? '')) + (options.suffix ?? '');
  return options.hint === undefined ? { code, severity, message, range } : { code, severity, message, range, hint: options.hint };
}

/** Collects diagnostics for one compilation. */
export class DiagnosticBag {
  readonly list: Diagnostic[] = [];
  report(code: MessageCode, range: SourceRange, args: readonly (string | number)[] = [], options?: ReportOptions): void {
    this.list.push(makeDiagnostic(code, range, args, options));
  }
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}

export interface LineCol {
  readonly line: number;
  readonly col: number;
  readonly lineStart: number;
  readonly lineEnd: number;
}

/** The line starts of the text last asked about: a program's warnings are rendered one at a time, all in one text. */
let lastLines: { readonly text: string; readonly starts: readonly number[] } | null = null;

export function lineColOf(text: string, offset: number): LineCol {
  const at = Math.max(0, Math.min(offset, text.length));
  if (lastLines === null || lastLines.text !== text) lastLines = { text, starts: lineStarts(text) };
  const { starts } = lastLines;
  const line = lineOf(starts, at);
  const lineStart = starts[line]!;
  const lineEnd = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
  return { line: line + 1, col: at - lineStart + 1, lineStart, lineEnd };
}

/** `FILE:LINE:COL: error: message`, the source line, a caret line, and the hint if any. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: readonly Source[]): string {
  let out = '';
  for (const d of diagnostics) {
    const src = sources.find((s) => s.file === d.range.file);
    const text = src?.text ?? '';
    const lc = lineColOf(text, d.range.start);
    const kind = d.severity === 'warning' ? 'warning: ' : '';
    // A diagnostic outside every source (a `-x` setting) has no line to point at.
    const where = src === undefined ? d.range.file : `${d.range.file}:${lc.line}:${lc.col}`;
    out += `${where}: ${kind}${d.message} [${d.code}]\n`;
    if (src !== undefined) {
      const lineText = text.slice(lc.lineStart, lc.lineEnd).replace(/\t/g, ' ');
      const span = lineText.slice(lc.col - 1, Math.min(d.range.end, lc.lineEnd) - lc.lineStart);
      // Placed by the columns a terminal shows, not by UTF-16 units: 日本語 takes six.
      const width = Math.max(1, displayWidth(span));
      out += `  ${lineText}\n  ${' '.repeat(displayWidth(lineText.slice(0, lc.col - 1)))}^${'~'.repeat(width - 1)}\n`;
    }
    if (d.hint !== undefined) out += `  ${d.hint}\n`;
  }
  return out;
}
