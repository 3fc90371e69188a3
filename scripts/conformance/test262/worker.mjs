import { parentPort } from 'node:worker_threads';
import { runTest } from './runner.mjs';

// One test at a time, so that the pool knows which test a hang or crash belongs to.
parentPort.on('message', async ({ file, modes }) => {
  let result;
  try {
    result = await runTest(file, modes);
  } catch (e) {
    result = { harnessError: e instanceof Error ? e.stack : String(e) };
  }
  parentPort.postMessage({ file, result });
});
