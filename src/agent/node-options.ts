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

// NODE_OPTIONS' own quoting: a double-quoted string, with \ escaping " and \ inside it.
const LIGHT_FLAG = `--require="${LIGHT_PATH.replace(/["\\]/g, '\\$&')}"`;

/** NODE_OPTIONS without the light preload an outer session of mscope put there: another session's agent replaces it. */
export function withoutLightAgent(current: string): string {
  if (!current.includes(LIGHT_FLAG)) return current;
  return current
    .split(LIGHT_FLAG)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
}

/** NODE_OPTIONS with the agent added once; a file URL needs no quoting even with spaces in the path. */
export function nodeOptionsWithAgent(current: string | undefined): string {
  const rest = current === undefined ? '' : withoutLightAgent(current);
  if (rest.trim() === '') return IMPORT_FLAG;
  return rest.includes(IMPORT_FLAG) ? rest : `${rest} ${IMPORT_FLAG}`;
}

/**
 * NODE_OPTIONS with the agent's `--import` replaced by the light `--require` preload, for the
 * processes started in a session that links nothing. Unchanged where there is no light file
 * (sources run through tsx).
 */
export function withLightAgent(current: string): string {
  if (!current.includes(IMPORT_FLAG) || !existsSync(LIGHT_PATH)) return current;
  return current.replace(IMPORT_FLAG, LIGHT_FLAG);
}
