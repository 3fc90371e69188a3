import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ErrorCode, MscopeError } from '../core/errors.js';
import { nearest } from '../lang/suggest.js';
import { COMMAND_USAGE } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Splits `[OPTIONS…] [--] CMD [ARGS…]`: CMD starts after `--`, or at the first argument
 * that is neither an option nor an option's value, so CMD's own flags are never parsed.
 * With `positionalsBeforeCommand`, CMD comes only after `--` and every argument before it is
 * mscope's (`mscope list PATTERN -- CMD`, `mscope top PID`), so a stray one is reported as such.
 */
export function splitCommand(
  args: readonly string[],
  options: Options,
  positionalsBeforeCommand = false,
): { own: string[]; command: string[] } {
  const dashdash = args.indexOf('--');
  if (positionalsBeforeCommand)
    return dashdash < 0 ? { own: [...args], command: [] } : { own: args.slice(0, dashdash), command: args.slice(dashdash + 1) };
  const takesValue = new Set<string>();
  for (const [long, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    takesValue.add(`--${long}`);
    if (o.short !== undefined) takesValue.add(`-${o.short}`);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { own: args.slice(0, i), command: args.slice(i + 1) };
    if (!a.startsWith('-') || a === '-') return { own: args.slice(0, i), command: args.slice(i) };
    if (takesValue.has(a)) i++;
  }
  return { own: [...args], command: [] };
}

/** parseArgs with its errors turned into one-line usage errors. */
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>>;

export function parseOwn<O extends Options>(command: string, args: string[], options: O, allowPositionals = false): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw unknownOption(`mscope ${command}`, quoted ?? '', Object.keys(options));
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw usage(`mscope ${command}: unexpected argument ${quoted ?? ''}`.trimEnd());
    throw usage(`mscope ${command}: ${(e.message ?? String(error)).split('. ')[0]}`);
  }
}

/** `PREFIX: unknown option '--quite'; did you mean '--quiet'?`: long options get the nearest long name. */
export function unknownOption(prefix: string, option: string, longNames: readonly string[]): MscopeError {
  const long = /^--([^=]+)/.exec(option)?.[1];
  const best = long === undefined ? undefined : nearest(long, longNames)[0];
  return usage(`${prefix}: unknown option '${option}'${best === undefined ? '' : `; did you mean '--${best}'?`}`);
}

export function usage(message: string): MscopeError {
  return new MscopeError(ErrorCode.BadUsage, message);
}

/** A PID argument of `mscope COMMAND`: a positive integer, else a usage error. */
export function pidOf(command: string, text: string): number {
  const pid = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(pid) || pid <= 0)
    throw usage(`mscope ${command}: PID must be a process id, got "${text}"`);
  return pid;
}

/** The target of `mscope COMMAND (PID | -- CMD)`: the PID, or undefined when CMD is given. */
export function pidOrCommand(command: string, positionals: readonly string[], cmd: readonly string[]): number | undefined {
  const pidText = positionals[0];
  if (positionals.length > 1) throw usage(`mscope ${command}: unexpected argument ${positionals[1]}`);
  if (pidText !== undefined && cmd.length > 0) throw usage(`mscope ${command}: PID and -- CMD exclude each other`);
  if (pidText === undefined && cmd.length === 0) throw usage(`mscope ${command}: expected a PID or -- CMD`);
  return pidText === undefined ? undefined : pidOf(command, pidText);
}

export function printUsage(command: string): number {
  process.stdout.write(COMMAND_USAGE[command] ?? '');
  return 0;
}
