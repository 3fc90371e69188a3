import { fileURLToPath } from 'node:url';
import { parseOwn, printUsage } from '../args.js';
import { runCommand } from './run.js';

/** examples/demo of this package, from dist/cli/commands. */
const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));

/**
 * `mscope demo`: the order service (an HTTP API and its client in one process) under the
 * example D program examples/demo/demo.d, run from the demo's own directory exactly as
 * `mscope run` would run it; accounting records are printed, not stored.
 */
export async function demoCommand(args: readonly string[]): Promise<number> {
  const { values } = parseOwn('demo', [...args], { help: { type: 'boolean', short: 'h' } });
  if (values.help === true) return printUsage('demo');
  process.stdout.write('$ mscope run -q --store none -s demo.d -- node app.js    # in examples/demo\n');
  process.chdir(DEMO_DIR);
  return runCommand(['-q', '--store', 'none', '-s', 'demo.d', '--', process.execPath, 'app.js']);
}
