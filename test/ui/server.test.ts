import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { LiveExploreData, startExplorer, type TracedProcesses } from '../../src/ui/index.js';
import { bounded } from '../cli/mscope.js';

test('closing the explorer ends the requests still open (a page polling a process that never answers) instead of waiting for them', async () => {
  let asked!: () => void;
  const pending = new Promise<void>((resolve) => (asked = resolve));
  // A traced process whose control socket never answers: the page's /api/links request stays open.
  const processes = { links: () => (asked(), new Promise<never>(() => {})) } as unknown as TracedProcesses;
  const explorer = await startExplorer(new LiveExploreData('live: test'), { processes });
  const answered = new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port: explorer.port, path: `/api/links?token=${explorer.token}` }, (res) => {
      res.resume();
      res.on('end', () => resolve(`status ${res.statusCode}`));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
  await pending;
  // Before the fix, close() waited for that request for ever: mscope kept serving after ^C.
  await bounded(explorer.close(), "the explorer's close", () => 'a request open');
  assert.equal(await answered, 'ECONNRESET');
});
