import { isMainThread } from 'node:worker_threads';
import { startAgent } from './agent/start.js';

// Loaded by `node --import microscope/register`; mscope puts it in NODE_OPTIONS, so every
// Node process CMD starts runs it. Worker threads are not traced yet.
if (isMainThread) {
  try {
    await startAgent(process.env);
  } catch (error) {
    process.stderr.write(`mscope agent: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
