import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseOwn, printUsage, usage } from '../args.js';
import { runCommand } from './run.js';

/** examples/demo of this package, from dist/cli/commands or lib/cli/commands. */
const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));
const NIC_DEMO = fileURLToPath(new URL('../../../examples/nic/demo.mjs', import.meta.url));

/**
 * `mscope demo`: the order service (an HTTP API and its client in one process) under the
 * example D program examples/demo/demo.d, run from the demo's own directory exactly as
 * `mscope run` would run it; accounting records are printed, not stored.
 */
export async function demoCommand(args: readonly string[]): Promise<number> {
  if (args[0] === 'nic') return nicDemo(args.slice(1));
  const { values } = parseOwn('demo', [...args], { help: { type: 'boolean', short: 'h' } });
  if (values.help === true) return printUsage('demo');
  process.stdout.write('$ mscope run -q --store none -s demo.d -- node app.js    # in examples/demo\n');
  process.chdir(DEMO_DIR);
  return runCommand(['-q', '--store', 'none', '-s', 'demo.d', '--', process.execPath, 'app.js']);
}

/**
 * `mscope demo nic`: examples/nic/demo.mjs, a program that links its own monitors through the
 * public API (defineModule, link, relink), so it runs as itself rather than under `mscope run`.
 */
async function nicDemo(args: readonly string[]): Promise<number> {
  const { values } = parseOwn('demo nic', [...args], { help: { type: 'boolean', short: 'h' }, packets: { type: 'string' } });
  if (values.help === true) return printUsage('demo');
  const packets = values.packets ?? '40000';
  if (!/^\d+$/.test(packets) || Number(packets) < 100)
    throw usage(`mscope demo nic: --packets needs a whole number of at least 100, not '${packets}'`);
  const child = spawn(process.execPath, [NIC_DEMO, '--packets', packets], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}
