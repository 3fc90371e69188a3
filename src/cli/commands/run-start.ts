import { basename } from 'node:path';
import { unknownBinding } from '../../core/bindings.js';
import { CommandTarget } from '../../consumer/command-target.js';
import { parseOwn, splitCommand } from '../args.js';
import { RUN_OPTIONS, agentOptionsOf } from './run-options.js';

/**
 * `mscope run`, entered through a light module: when CMD is Node itself it is started at once,
 * held by its agent before any of its program runs, so that Node's start-up and mscope's own
 * loading and compiling run side by side (`dtrace -c` also creates the process first, then
 * compiles). Whatever ends the run before CMD is released kills it.
 */
export async function runStart(args: readonly string[]): Promise<number> {
  const held = heldCommand(args);
  try {
    return await (await import('./run.js')).runCommand(args, held);
  } finally {
    held?.dispose();
  }
}

function heldCommand(args: readonly string[]): CommandTarget | null {
  const { own, command } = splitCommand(args, RUN_OPTIONS);
  if (command.length === 0 || !holdable(command)) return null;
  let values: ReturnType<typeof parseOwn<typeof RUN_OPTIONS>>['values'];
  try {
    values = parseOwn('run', own, RUN_OPTIONS).values;
  } catch {
    // Not started: runCommand parses the same arguments again and reports the error.
    return null;
  }
  if (values.help === true || values.pid !== undefined || (values.binding !== undefined && unknownBinding(values.binding) !== null))
    return null;
  const target = new CommandTarget(command, process.cwd());
  target.hold(agentOptionsOf(values, target.root));
  return target;
}

/**
 * Node itself, whose agent can hold it: a shell or a script would run before it is traced, and
 * so would a `--require` preload (Node runs those before any `--import`, the agent's included).
 */
export function holdable(command: readonly string[]): boolean {
  const [file, ...args] = command as [string, ...string[]];
  if (file !== process.execPath && basename(file) !== 'node' && basename(file) !== 'nodejs') return false;
  const options = [...(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...args];
  return !options.some((o) => o === '-r' || o === '--require' || o.startsWith('--require='));
}
