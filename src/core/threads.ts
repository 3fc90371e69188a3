/**
 * Set in the environment of microScope's own worker threads and processes (monitor hosts,
 * the loop watchdog, the store writer): the agent, which `--import` also loads there, stays
 * out of them, so a monitor never traces itself.
 */
export const INTERNAL_THREAD_ENV = 'MSCOPE_INTERNAL_THREAD';

export function internalEnv(): NodeJS.ProcessEnv {
  return { ...process.env, [INTERNAL_THREAD_ENV]: '1' };
}
