/** The flags Node runs with: its command line's (`process.execArgv`), then NODE_OPTIONS'. */
export function nodeFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/).filter((f) => f !== '')];
}

/** The agent's own `--import` (mscope's NODE_OPTIONS, or the standalone `microscope/register`). */
export const OWN_IMPORT = /(?:^|[\/])(?:agent\/register\.js|microscope\/register)$/;

const LOADER_FLAGS = /^(?:--import|--loader|--experimental-loader)(?:=|$)/;

/** Whether Node was given an `--import` or `--loader` besides the agent's own, on its command line or in NODE_OPTIONS. */
export function importsBesidesOwn(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const flags = nodeFlags(execArgv, nodeOptions);
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if (!LOADER_FLAGS.test(f)) continue;
    const value = f.includes('=') ? f.slice(f.indexOf('=') + 1) : (flags[++i] ?? '');
    if (!OWN_IMPORT.test(value)) return true;
  }
  return false;
}
