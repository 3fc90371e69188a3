import { ENV_CONSUMER_PID } from './consumer-env.js';

/**
 * `$target`: the pid of the command `mscope run … -- CMD` started. mscope learns it when it
 * spawns CMD; a traced process knows it is CMD when its parent is mscope, and hands its pid
 * to the processes it starts through the environment.
 */
export const ENV_TARGET_PID = 'MSCOPE_TARGET_PID';

let spawned = 0;

/** mscope's side: CMD was spawned with this pid. */
export function setTargetPid(pid: number): void {
  spawned = pid;
}

/** The target's pid, or 0 when there is none (no CMD, or CMD is not a Node process and started this one). */
export function targetPid(): number {
  if (spawned !== 0) return spawned;
  const inherited = Number(process.env[ENV_TARGET_PID]);
  if (inherited > 0) return inherited;
  const consumer = Number(process.env[ENV_CONSUMER_PID]);
  if (consumer > 0 && process.ppid === consumer) {
    process.env[ENV_TARGET_PID] = String(process.pid);
    return process.pid;
  }
  return 0;
}
