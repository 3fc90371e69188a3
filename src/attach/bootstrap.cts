// Loaded by mscope attach with the inspector's `require`, which works in CommonJS and ES
// module programs alike; a CommonJS module can import() an ES module on every supported Node,
// where code evaluated by the inspector cannot. Returns at once: mscope disconnects, then has
// the inspector closed (by the agent once up, or itself when the session reports a failure).
import type { AttachRequest } from './target.js';

module.exports = (url: string, request: AttachRequest): void => {
  import(url)
    .then((m: typeof import('./target.js')) => m.attach(request, true))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const line = JSON.stringify({ t: 'attach-failed', message, at: Number(process.hrtime.bigint()) });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('node:fs') as typeof import('node:fs')).appendFileSync(`${request.session}/${process.pid}.ndjson`, `${line}\n`, {
        mode: 0o600,
      });
    });
};
