import { readFileSync } from 'node:fs';
import { MscopeError, ErrorCode } from '../core/errors.js';
import { escapeDiagnostic } from '../core/escape.js';
import { didYouMean } from '../lang/suggest.js';
import { unknownOption, usage } from './args.js';
import { COMMAND_USAGE, USAGE } from './usage.js';

type Command = (args: readonly string[]) => Promise<number>;

/**
 * Subcommands by name, each imported when it runs: loading them all cost every command
 * (even `--version`) the compiler, the exporters and prom-client.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run-start.js')).runStart,
  attach: async () => (await import('./commands/run-start.js')).attachStart,
  top: async () => (await import('./commands/top.js')).topCommand,
  blocks: async () => (await import('./commands/blocks.js')).blocksCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  explore: async () => (await import('./commands/explore.js')).exploreCommand,
  links: async () => (await import('./commands/links.js')).linksCommand,
  relink: async () => (await import('./commands/links.js')).relinkCommand,
  bench: async () => (await import('./commands/bench.js')).benchCommand,
};

/** The options mscope takes before a command. */
const TOP_OPTIONS = ['help', 'version'];

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`mscope ${packageVersion()}\n`);
    return 0;
  }
  if (name.startsWith('-')) throw unknownOption('mscope', name, TOP_OPTIONS);
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) process.stdout.write(USAGE);
    else if (Object.hasOwn(COMMAND_USAGE, topic)) process.stdout.write(COMMAND_USAGE[topic]!);
    else throw unknownCommand('mscope help', topic);
    return 0;
  }
  // hasOwn: `mscope constructor` must not find Object.prototype's members.
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw unknownCommand('mscope', name);
  return (await command())(rest);
}

function unknownCommand(prefix: string, name: string): MscopeError {
  const hint = didYouMean(name, [...Object.keys(COMMANDS), 'help'], "'");
  return usage(`${prefix}: unknown command '${name}'${hint === '' ? ' (try mscope --help)' : hint}`);
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Everything mscope itself writes to stderr is a diagnostic (the program's stderr is its own fd),
 * and many quote what a traced program named or threw: one guard escapes their control
 * characters, newlines aside, so that none of them can drive the terminal.
 */
function escapeDiagnostics(): void {
  const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? escapeDiagnostic(chunk) : chunk, ...rest)) as typeof process.stderr.write;
}

/**
 * Usage errors exit 2, every other error 1; each prints as one line. A refusal to attach is
 * named after the command that attached (`mscope top: no process 42`).
 */
function report(command: string | undefined, error: unknown): number {
  if (error instanceof MscopeError) {
    const prefix =
      error.code === ErrorCode.CannotAttach && command !== undefined && Object.hasOwn(COMMANDS, command)
        ? `mscope ${command}: `
        : error.message.startsWith('mscope')
          ? ''
          : 'mscope: ';
    process.stderr.write(`${prefix}${error.message}\n`);
    return error.code === ErrorCode.BadUsage ? 2 : 1;
  }
  process.stderr.write(`mscope: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

escapeDiagnostics();
process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => report(process.argv[2], error));
