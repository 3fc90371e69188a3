import { basename } from 'node:path';
import { unknownBinding } from '../../core/bindings.js';
import { CommandTarget } from '../../consumer/command-target.js';
import { withoutLightAgent } from '../../agent/node-options.js';
import type { AttachTarget } from '../../attach/attach-target.js';
import { parseOwn, pidOf, splitCommand } from '../args.js';
import { ATTACH_OPTIONS, NOT_WITH_ATTACH, RUN_OPTIONS, agentOptionsOf } from './run-options.js';

/**
 * `mscope run`, entered through a light module: when CMD is Node itself it is started at once,
 * held by its agent before any of its program runs, so that Node's start-up and mscope's own
 * loading and compiling run side by side (`dtrace -c` also creates the process first, then
 * compiles). Whatever ends the run before CMD is released kills it. With `-p PID`, the process
 * is attached to early in the same way (`attachStart`).
 */
export async function runStart(args: readonly string[]): Promise<number> {
  const held = heldCommand(args) ?? (await heldAttachForRun(args));
  try {
    return await (await import('./run.js')).runCommand(args, held);
  } finally {
    held?.dispose();
  }
}

/**
 * `mscope attach PID`, entered through this light module: the process's inspector is opened and
 * the agent injected while mscope loads the compiler and compiles, as `mscope run` starts its
 * CMD; the agent loads its modules meanwhile and waits for the compiled program. A compile
 * error (or anything else that ends mscope first) leaves the agent nothing to wait for.
 */
export async function attachStart(args: readonly string[]): Promise<number> {
  let held: AttachTarget | null = null;
  try {
    const { values, positionals } = parseOwn('attach', [...args], ATTACH_OPTIONS, true);
    if (positionals.length === 1) held = await heldAttach('attach', values, positionals[0]!);
  } catch {
    // Not started: attachCommand parses the same arguments again and reports the error.
  }
  try {
    return await (await import('./run.js')).attachCommand(args, held);
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

async function heldAttachForRun(args: readonly string[]): Promise<AttachTarget | null> {
  const { own, command } = splitCommand(args, RUN_OPTIONS);
  if (command.length > 0) return null;
  try {
    const { values } = parseOwn('run', own, RUN_OPTIONS);
    return values.pid === undefined ? null : await heldAttach('run', values, values.pid);
  } catch {
    return null;
  }
}

type AttachValues = Partial<Record<keyof typeof ATTACH_OPTIONS, unknown>> & { binding?: string; modules?: string[] };

/**
 * The process attached to before compiling, when nothing but the program's own compile can
 * still refuse the command: a script or a TypeScript monitor to trace with, and none of the
 * options whose refusals (a port in use, a store) must come before the process gets a signal.
 * Anything else, or a refusal of the process itself, attaches in `run` as before, in its order.
 */
async function heldAttach(name: string, values: AttachValues, pidText: string): Promise<AttachTarget | null> {
  const kinds = [
    ...(values.program !== undefined || values.script !== undefined ? ['d'] : []),
    ...(values.monitor !== undefined ? ['ts'] : []),
  ];
  if (kinds.length === 0 || values.help === true || NOT_WITH_ATTACH.some((o) => values[o] !== undefined)) return null;
  if (LATER_REFUSALS.some((o) => values[o] !== undefined)) return null;
  if (values.binding !== undefined && unknownBinding(values.binding) !== null) return null;
  if (values.format !== undefined && values.format !== 'text' && values.format !== 'json') return null;
  const pid = pidOf(name, pidText);
  const { AttachTarget } = await import('../../attach/attach-target.js');
  let target: AttachTarget;
  try {
    target = new AttachTarget(pid);
  } catch {
    return null;
  }
  target.hold(agentOptionsOf(values, target.root), kinds);
  return target;
}

/** Options that can refuse after the process would have had its signal: the explorer's page and port, the accounting sinks. */
const LATER_REFUSALS = ['explore', 'functions', 'port', 'acct', 'store', 'prom', 'otlp'] as const;

/**
 * Node itself, whose agent can hold it: a shell or a script would run before it is traced, and
 * so would a `--require` preload (Node runs those before any `--import`, the agent's included).
 */
export function holdable(command: readonly string[]): boolean {
  const [file, ...args] = command as [string, ...string[]];
  if (file !== process.execPath && basename(file) !== 'node' && basename(file) !== 'nodejs') return false;
  // An outer session's light preload is mscope's own, and this session's agent replaces it.
  const options = [...withoutLightAgent(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...args];
  return !options.some((o) => o === '-r' || o === '--require' || o.startsWith('--require='));
}
