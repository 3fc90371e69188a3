import { startAgent } from './start.js';

// Loaded by `node --import microscope/register`; mscope puts it in NODE_OPTIONS, so every
// Node process CMD starts runs it, and every worker thread those processes start.
try {
  await startAgent(process.env);
} catch (error) {
  process.stderr.write(`mscope agent: ${error instanceof Error ? error.message : String(error)}\n`);
}
