/**
 * The pid of the mscope a traced process reports to, set in CMD's environment: `$target` is
 * resolved against it (core/target-pid.ts), and a held CMD waits only while it lives.
 */
export const ENV_CONSUMER_PID = 'MSCOPE_CONSUMER_PID';
