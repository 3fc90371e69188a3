// Loaded by mscope attach with the inspector's `require`, which works in CommonJS and ES
// module programs alike; a CommonJS module can import() an ES module on every supported Node,
// where code evaluated by the inspector cannot. Returns at once: mscope disconnects, and the
// agent closes the inspector when it is up. A failure is reported in the session and closes it too.
import type { AttachRequest } from './target.js';

module.exports = (url: string, request: AttachRequest): void => {
  import(url)
    .then((m: typeof import('./target.js')) => m.attach(request, true))
    .catch((error: unknown) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const inspector = require('node:inspector') as typeof import('node:inspector');
      if (inspector.url() !== undefined) inspector.close();
      const message = error instanceof Error ? error.message : String(error);
      const line = JSON.stringify({ t: 'attach-failed', message, at: Number(process.hrtime.bigint()) });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('node:fs') as typeof import('node:fs')).appendFileSync(`${request.session}/${process.pid}.ndjson`, `${line}\n`, {
        mode: 0o600,
      });
    });
};
