import { nodeFlags } from '../core/node-flags.js';

/** Flags with which a process collects V8 coverage of itself (Node's test runner). */
const COVERAGE_FLAGS = /^--(?:experimental-)?test-coverage$/;

/**
 * Whether this process collects V8 coverage: NODE_V8_COVERAGE (c8, and node --test's coverage
 * for the processes it starts) or the test runner's coverage flag. Coverage is byte offsets
 * that tools map onto the files on disk, which the rewrite would move.
 */
export function collectsV8Coverage(env: NodeJS.ProcessEnv, execArgv: readonly string[]): boolean {
  if (env.NODE_V8_COVERAGE !== undefined && env.NODE_V8_COVERAGE !== '') return true;
  return nodeFlags(execArgv, env.NODE_OPTIONS).some((f) => COVERAGE_FLAGS.test(f));
}
