import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The file `--import` loads in every Node process mscope starts. */
export const REGISTER_URL = new URL('./register.js', import.meta.url);
const IMPORT_FLAG = `--import=${REGISTER_URL.href}`;

/**
 * The agent of a session whose monitors all run in mscope, as one CommonJS file (the build's
 * lib/ only): a `--require` preload starts no ES module loader in a CommonJS program.
 */
const LIGHT_PATH = fileURLToPath(new URL('./register-light.cjs', import.meta.url));

/** NODE_OPTIONS with the agent added once; a file URL needs no quoting even with spaces in the path. */
export function nodeOptionsWithAgent(current: string | undefined): string {
  if (current === undefined || current.trim() === '') return IMPORT_FLAG;
  return current.includes(IMPORT_FLAG) ? current : `${current} ${IMPORT_FLAG}`;
}

/**
 * NODE_OPTIONS with the agent's `--import` replaced by the light `--require` preload, for the
 * processes started in a session that links nothing. Unchanged where there is no light file
 * (sources run through tsx).
 */
export function withLightAgent(current: string): string {
  if (!current.includes(IMPORT_FLAG) || !existsSync(LIGHT_PATH)) return current;
  // NODE_OPTIONS' own quoting: a double-quoted string, with \ escaping " and \ inside it.
  return current.replace(IMPORT_FLAG, `--require="${LIGHT_PATH.replace(/["\\]/g, '\\$&')}"`);
}
