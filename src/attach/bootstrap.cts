// Loaded by mscope attach with the inspector's `require`, which works in CommonJS and ES
// module programs alike; a CommonJS module can import() an ES module on every supported Node,
// where code evaluated by the inspector cannot. Returns at once: mscope disconnects, then
// creates `request.released`, and this closes the inspector; the agent loads meanwhile.
import type { AttachRequest } from './target.js';

/** How often the inspector's closer looks for mscope's release. */
const RELEASE_POLL_MS = 5;
/** mscope gone without releasing: its connection closed with it; Node is given this long to end the session before the close. */
const CONSUMER_GONE_MS = 100;

/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('node:fs') as typeof import('node:fs');
const inspector = require('node:inspector') as typeof import('node:inspector');

/** What the closer needs of an attach request: the release file and mscope's pid. */
type Release = Pick<AttachRequest, 'released' | 'consumer'>;

function boot(url: string, request: AttachRequest): void {
  const closed = closeWhenReleased(request);
  import(url)
    .then((m: typeof import('./target.js')) => m.attach(request, closed))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const line = JSON.stringify({ t: 'attach-failed', message, at: Number(process.hrtime.bigint()) });
      try {
        fs.appendFileSync(`${request.session}/${process.pid}.ndjson`, `${line}\n`, { mode: 0o600 });
      } catch {
        // mscope's session has gone: the program's own stderr is left to say it, and the program goes on.
        process.emitWarning(`mscope: the agent did not start in this process: ${message}`);
      }
    });
}

/**
 * Closes the inspector mscope opened as soon as mscope's own session to it has gone, which
 * mscope says by creating `request.released` (closing it while a session may still be
 * connected can crash Node: nodejs/node#18761), or once mscope itself has gone. Independent of
 * the agent: the port is open while mscope connects and injects, not while the agent loads.
 */
function closeWhenReleased(request: Release): Promise<void> {
  return new Promise((resolve) => {
    let goneAt = 0;
    const look = (): void => {
      if (request.released !== undefined && fs.existsSync(request.released)) return close();
      if (!alive(request.consumer)) {
        goneAt ||= Date.now();
        if (Date.now() - goneAt >= CONSUMER_GONE_MS) return close();
      }
      setTimeout(look, RELEASE_POLL_MS).unref();
    };
    const close = (): void => {
      if (inspector.url() !== undefined) inspector.close();
      resolve();
    };
    setTimeout(look, RELEASE_POLL_MS).unref();
  });
}

// closeWhenReleased alone serves an attach that ends before the agent is injected (an old Node, a failed evaluate).
module.exports = Object.assign(boot, { closeWhenReleased });

/** core/process-alive.ts's check (this file is bundled alone, and imports nothing of ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
