import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { processAlive } from '../core/process-alive.js';

/**
 * sql.js holds the whole database in memory and writes the file whole at each save, so two runs
 * writing one store at once each saved over the other's records (both called themselves run 1).
 * While a run writes a store, `<store>.lock` names its process, and another run is refused
 * before its CMD starts; a lock whose process has gone (a crash) is taken over. Returns the release.
 */
export function lockStore(path: string): () => void {
  const lock = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx' also refuses a link planted at the name, which is then read as no process and removed.
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      let held = true;
      const release = (): void => {
        if (!held) return;
        held = false;
        process.removeListener('exit', release);
        rmSync(lock, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = lockHolder(lock);
    if (pid !== null && processAlive(pid)) throw new Error(`in use by process ${pid}, another run writing it (give --store another file)`);
    rmSync(lock, { force: true });
  }
  throw new Error(`${lock} was taken again as it was freed`);
}

function lockHolder(lock: string): number | null {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return null;
  }
  const pid = /^(\d+)\n$/.exec(text)?.[1];
  return pid === undefined ? null : Number(pid);
}
