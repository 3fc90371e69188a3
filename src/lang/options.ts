import type { Encoding } from '../aggregate/types.js';

/**
 * The one table of D options: `-x NAME=VALUE`, `#pragma D option NAME[=VALUE]` and
 * `setopt("NAME"[, "VALUE"])` all check and apply them here, with DTrace's defaults.
 */
export interface ProgramOptions {
  quiet: boolean;
  bufsize: number;
  aggsize: number;
  dynvarsize: number;
  nspec: number;
  specsize: number;
  strsize: number;
  aggsortkey: boolean;
  aggsortrev: boolean;
  aggsortpos: number;
  aggsortkeypos: number;
  aggzoom: boolean;
  aggpack: boolean;
  /** count() and sum() printed as histograms of their keys. */
  agghist: boolean;
  /**
   * The characters histograms are drawn with (DTrace's dt_encoding): `utf8` draws quantize bars
   * in block elements and packs in U+2581…U+2588, `ascii` in `@` and `_xX`; unset, bars are `@`
   * and packs follow TERM, as dtrace(1M) decides.
   */
  encoding: Encoding;
  destructive: boolean;
  rawbytes: boolean;
  scratchsize: number;
  /** Frames stack() and ustack() print when given no depth. */
  stackframes: number;
  ustackframes: number;
  /** Descriptions that match no probes are not warned about (`-Z`). */
  zdefs: boolean;
  /** A missing `$N` is 0 and `$$N` is "" (compile time: macros.ts). */
  defaultargs: boolean;
  /** Entry and return lines indented by call depth, `->` and `<-` (`-F`). */
  flowindent: boolean;
  /** The spaces before each frame stack() and ustack() print. */
  stackindent: number;
}

/**
 * `time`: a rate or interval, `10hz`, `50ms`, `1s` (a bare number is per second, as DTrace reads it);
 * `choice`: one of CHOICES' words for it.
 */
export type OptionKind = 'bool' | 'size' | 'int' | 'time' | 'choice';

/** The words an option of kind `choice` takes (DTrace's dt_opt_encoding: no other, and not bare). */
const CHOICES: ReadonlyMap<string, readonly string[]> = new Map([['encoding', ['ascii', 'utf8']]]);

/** Every option a program may name; those outside ProgramOptions are accepted and have no effect here. */
export const OPTIONS: ReadonlyMap<string, OptionKind> = new Map<string, OptionKind>([
  ['quiet', 'bool'],
  ['bufsize', 'size'],
  ['aggsize', 'size'],
  ['nspec', 'int'],
  ['specsize', 'size'],
  ['strsize', 'size'],
  ['aggsortkey', 'bool'],
  ['aggsortrev', 'bool'],
  ['aggsortpos', 'int'],
  ['aggsortkeypos', 'int'],
  ['aggzoom', 'bool'],
  ['aggpack', 'bool'],
  ['agghist', 'bool'],
  ['encoding', 'choice'],
  ['destructive', 'bool'],
  ['switchrate', 'time'],
  ['aggrate', 'time'],
  ['statusrate', 'time'],
  ['dynvarsize', 'size'],
  ['rawbytes', 'bool'],
  ['scratchsize', 'size'],
  ['stackframes', 'int'],
  ['ustackframes', 'int'],
  ['zdefs', 'bool'],
  ['defaultargs', 'bool'],
  ['flowindent', 'bool'],
  ['stackindent', 'int'],
]);

export const DEFAULT_OPTIONS: ProgramOptions = {
  quiet: false,
  bufsize: 4 << 20,
  // DTrace's are 4m and 1m; a Node process holds more than a kernel buffer, and the estimates
  // (aggregate/budget.ts, runtime/dynvars.ts) count what V8 keeps, not packed bytes.
  aggsize: 16 << 20,
  dynvarsize: 16 << 20,
  nspec: 1,
  specsize: 4 << 20,
  strsize: 256,
  aggsortkey: false,
  aggsortrev: false,
  aggsortpos: 0,
  aggsortkeypos: 0,
  aggzoom: false,
  aggpack: false,
  agghist: false,
  encoding: 'unset',
  destructive: false,
  rawbytes: false,
  scratchsize: 64 << 10,
  // DTrace's ustackframes is 100; a JavaScript stack worth reading rarely is, and each frame costs.
  stackframes: 20,
  ustackframes: 20,
  zdefs: false,
  defaultargs: false,
  flowindent: false,
  // DTrace's _dtrace_stkindent.
  stackindent: 14,
};

const SUFFIX: Record<string, number> = { k: 1 << 10, m: 1 << 20, g: 1 << 30, t: 2 ** 40 };

/** `4m` → 4194304; bare numbers are bytes or counts. */
export function parseSize(v: string): number | null {
  const m = /^([0-9]+)([kmgt]?)$/i.exec(v.trim());
  if (m === null) return null;
  return Number(m[1]) * (m[2] === '' ? 1 : SUFFIX[m[2]!.toLowerCase()]!);
}

/** The words an option takes when it takes one of a few (`encoding`), for the error that lists them. */
export function optionChoices(name: string): readonly string[] | undefined {
  return CHOICES.get(name);
}

// dt_opt_runtime's words: any other value of a boolean option is a number (which sets it, 0 included) or an error.
const ON_WORDS = new Set(['yes', 'enable', 'enabled', 'true', 'on', 'set']);
const OFF_WORDS = new Set(['no', 'disable', 'disabled', 'false', 'off', 'unset']);

/** A boolean option's value as DTrace reads it: bare is on, any number is on (0 too), or null when neither. */
function boolValue(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (v === '' || ON_WORDS.has(v)) return true;
  if (OFF_WORDS.has(v)) return false;
  return /^(0x[0-9a-f]+|[0-9]+)$/.test(v) ? true : null;
}

/** Why `value` is not a value of option `name`, or null when it is (or the option is unknown: the caller reports that). */
export function optionValueError(name: string, value: string): string | null {
  const kind = OPTIONS.get(name);
  if ((kind === 'size' || kind === 'int') && value !== '' && parseSize(value) === null) return 'not a size';
  if (kind === 'bool' && boolValue(value) === null) return 'not a boolean';
  if (kind === 'choice' && !CHOICES.get(name)!.includes(value)) return `not ${CHOICES.get(name)!.join(' or ')}`;
  if (kind === 'time' && !/^[0-9]+(ns|nsec|us|usec|ms|msec|s|sec|m|min|h|hour|d|day|hz)?$/i.test(value.trim())) return 'not a rate';
  return null;
}

/** Sets one option; a boolean is on bare (`#pragma D option quiet`), for any number and DTrace's words for yes. */
export function applyOption(o: ProgramOptions, name: string, value: string): void {
  const kind = OPTIONS.get(name);
  if (!(name in DEFAULT_OPTIONS)) return;
  const key = name as keyof ProgramOptions;
  if (kind === 'bool') (o[key] as boolean) = boolValue(value) === true;
  else if (kind === 'choice') (o[key] as string) = value;
  else {
    const n = parseSize(value);
    if (n !== null) (o[key] as number) = n;
  }
}

/** Applies `name=value` settings in order, over DTrace's defaults. */
export function resolveOptions(settings: Iterable<[string, string]>): ProgramOptions {
  const o: ProgramOptions = { ...DEFAULT_OPTIONS };
  for (const [name, value] of settings) applyOption(o, name, value);
  return o;
}
